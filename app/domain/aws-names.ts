/**
 * The AWS resource names of a camera, in the existing AOVIS deployment's pattern (ADR 021):
 * IoT thing `aovis-dev-<aovisId>`, KVS stream `aovis-stream-<aovisId>`, signaling channel
 * `aovis-webrtc-<aovisId>`. Used only when a device is provisioned: the names are then stored on
 * its row (devices.iot_thing_name, kvs_stream_name, webrtc_channel_arn) and everything else reads
 * them from there, so devices provisioned under an older pattern keep theirs.
 * Relative imports only (scripts import this file directly under Node).
 */
export interface AwsResourceNames {
  thingName: string;
  streamName: string;
  channelName: string;
}

export const AWS_NAME_PREFIXES = { thing: "aovis-dev-", stream: "aovis-stream-", channel: "aovis-webrtc-" } as const;

export function awsResourceNames(aovisId: string): AwsResourceNames {
  return {
    thingName: `${AWS_NAME_PREFIXES.thing}${aovisId}`,
    streamName: `${AWS_NAME_PREFIXES.stream}${aovisId}`,
    channelName: `${AWS_NAME_PREFIXES.channel}${aovisId}`,
  };
}

/** The aovis id of a new device, from its serial (`N4K-000006` → `aovis-n4k-000006`). */
export function aovisIdOfSerial(serial: string): string {
  return `aovis-${serial.toLowerCase()}`;
}
