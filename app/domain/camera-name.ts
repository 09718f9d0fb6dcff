/**
 * Camera names ("Front door"): what an owner calls a camera, shown beside the model everywhere.
 * A name belongs to one ownership (device_ownerships.name): a new owner names the camera afresh.
 */

/** The longest name, in characters, after trimming. */
export const CAMERA_NAME_MAX_CHARS = 40;

/** What people see for a camera: its name and model ("Front door · NEXA Prime 4K"), or the model alone. */
export function cameraLabel(camera: { name: string | null; model: string }): string {
  return camera.name ? `${camera.name} · ${camera.model}` : camera.model;
}
