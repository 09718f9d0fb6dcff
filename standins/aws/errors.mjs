// AWS-shaped failures of the AWS stand-in: `status` and `code` as botocore's models list them
// (kinesisvideo / kinesis-video-archived-media 2017-09-30: InvalidArgumentException 400,
// ResourceNotFoundException 404, ...). aws.mjs turns them into REST-JSON error responses.
export class AwsFault extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.extra = extra;
  }
}
export const invalid = (message) => new AwsFault(400, "InvalidArgumentException", message);
export const notFound = (message) => new AwsFault(404, "ResourceNotFoundException", message);
export const noRetention = (name) => new AwsFault(400, "NoDataRetentionException", `Stream ${name} does not retain data.`);
