import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { demoDevices, seedSql } from "~/db/seed";
import { awsResourceNames } from "~/domain/aws-names";
import { getConfig } from "~/lib/config.server";
import { kvsClientFromConfig } from "~/lib/kvs.server";

// Issue #15 §2: demo data uses the existing deployment's names (ADR 021), like provisioning does;
// the AWS stand-in holds exactly those resources, and local data seeded under the old bare names moves.

interface Row {
  iot_thing_name: string;
  kvs_stream_name: string;
  webrtc_channel_arn: string;
}

const rowOf = async (id: string) =>
  (await env.DB.prepare("SELECT iot_thing_name, kvs_stream_name, webrtc_channel_arn FROM devices WHERE id = ?").bind(id).first<Row>())!;
const runSeed = async () => env.DB.batch((await seedSql(env.ACTIVATION_CODE_PEPPER)).map((q) => env.DB.prepare(q)));

describe("demo devices' AWS names", () => {
  it("are aovis-dev-, aovis-stream- and aovis-webrtc-<aovisId>, and the AWS stand-in has each of them", async () => {
    const kvs = kvsClientFromConfig(getConfig(env));
    for (const d of demoDevices()) {
      const names = awsResourceNames(d.aovisId);
      const row = await rowOf(d.id);
      expect(row.iot_thing_name).toBe(`aovis-dev-${d.aovisId}`);
      expect(row.kvs_stream_name).toBe(`aovis-stream-${d.aovisId}`);
      expect(row.webrtc_channel_arn).toMatch(new RegExp(`:channel/aovis-webrtc-${d.aovisId}/\\d+$`));
      expect((await kvs.describeStream(names.streamName)).StreamName).toBe(names.streamName);
      expect((await kvs.describeThing(names.thingName)).thingName).toBe(names.thingName);
      expect((await kvs.describeSignalingChannel(names.channelName)).ChannelName).toBe(names.channelName);
    }
  });

  it("a row seeded under the old bare names is moved by the next seed; one renamed by hand is left alone", async () => {
    const [old, byHand] = demoDevices();
    await env.DB.prepare("UPDATE devices SET iot_thing_name = aovis_id, kvs_stream_name = aovis_id, webrtc_channel_arn = ? WHERE id = ?")
      .bind(`arn:aws:kinesisvideo:us-east-1:000000000000:channel/${old.aovisId}/1700000000000`, old.id)
      .run();
    await env.DB.prepare("UPDATE devices SET iot_thing_name = 'my-own-thing', kvs_stream_name = 'my-own-stream' WHERE id = ?").bind(byHand.id).run();
    await runSeed();
    expect(await rowOf(old.id)).toEqual({ iot_thing_name: old.iotThingName, kvs_stream_name: old.kvsStreamName, webrtc_channel_arn: old.webrtcChannelArn });
    expect(await rowOf(byHand.id)).toMatchObject({ iot_thing_name: "my-own-thing", kvs_stream_name: "my-own-stream" });
    await runSeed();
    expect(await rowOf(old.id)).toMatchObject({ kvs_stream_name: `aovis-stream-${old.aovisId}` });
  });
});
