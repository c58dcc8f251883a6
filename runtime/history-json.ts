import { createRequire } from 'node:module';
import proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root.js';
import type { History } from '@temporalio/common/lib/proto-utils.js';

/**
 * Workflow histories as the proto JSON that `temporal workflow show -o json` and
 * the Web UI export write. The SDK's own historyToJSON/historyFromJSON fail in
 * this install ("type must be a Type"): npm gives @temporalio/common and
 * @temporalio/proto two copies of protobufjs 8, so common's protojson does not
 * recognise proto's types. We load protojson from the copy @temporalio/proto uses.
 */
type ProtoJson = {
  toJson(type: unknown, message: unknown): unknown;
  fromJson(type: unknown, json: unknown, options?: { ignoreUnknownFields?: boolean }): unknown;
};
const protoEntry = createRequire(import.meta.url).resolve('@temporalio/proto');
const protojson = createRequire(protoEntry)('protobufjs/ext/protojson') as ProtoJson;
const historyType = (patchProtobufRoot(proto) as unknown as { lookupType(name: string): unknown }).lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history as never)), null, 2);
}

/** Tolerates fields a newer server or SDK added, as the SDK does. */
export function historyFromJson(json: unknown): History {
  if (typeof json !== 'object' || json == null || !Array.isArray((json as { events?: unknown }).events)) {
    throw new TypeError('not a workflow history: expected an object with an array of events');
  }
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}
