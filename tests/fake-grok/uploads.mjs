// Uploads: legacy `POST /rest/app-chat/upload-file` (JSON with base64 `content`,
// sent as text/plain) and newest `POST /http/upload-file-v2/direct` (multipart part
// `file`, optional `file_source`). Stored bytes are served back by the assets host at
// `users/<uid>/<fileId>/content` to the same account.
import { isObject, strictBase64, tryJson } from './util.mjs';
import { boundaryOf, parseMultipart } from './multipart.mjs';
import { sendFailure } from './errors.mjs';

const MAX_UPLOAD = 48 * 1024 * 1024;
const MIME_RE = /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/i;

function store(env, uid, { fileName, mimeType, bytes, fileSource, fileMetadataId, fileId }) {
  const fileUri = `users/${uid}/${fileId}/content`;
  const rec = { uid, fileId, fileMetadataId, fileUri, fileName, mimeType, bytes, fileSource: fileSource ?? null, createTime: new Date().toISOString() };
  env.state.uploads.set(fileUri, rec);
  env.state.fileIds.set(fileMetadataId, rec);
  env.state.fileIds.set(fileId, rec);
  return rec;
}

export function handleLegacyUpload(env, rq) {
  const { res, body, entry, uid } = rq;
  entry.notes.push(`content-type ${rq.req.headers['content-type'] ?? '(none)'}`);
  const j = tryJson(body);
  if (!j.ok || !isObject(j.value)) return sendFailure(res, 'bad_request', { message: 'body must be a JSON object' });
  const { fileName, fileMimeType, content, fileSource } = j.value;
  if (typeof fileName !== 'string' || !fileName) return sendFailure(res, 'bad_request', { message: '"fileName" is required' });
  if (typeof fileMimeType !== 'string' || !MIME_RE.test(fileMimeType)) return sendFailure(res, 'bad_request', { message: '"fileMimeType" must be a MIME type' });
  if (typeof content === 'string' && content.startsWith('data:')) return sendFailure(res, 'bad_request', { message: '"content" must be bare base64, not a data: URL' });
  const bytes = strictBase64(content);
  if (!bytes || bytes.length === 0) return sendFailure(res, 'bad_request', { message: '"content" is not valid base64' });
  if (bytes.length > MAX_UPLOAD) return sendFailure(res, 'too_large');
  const id = env.state.nextId('file');
  const rec = store(env, uid, { fileName, mimeType: fileMimeType, bytes, fileSource, fileMetadataId: id, fileId: id });
  entry.upload = { fileUri: rec.fileUri, size: bytes.length };
  return env.json(res, 200, {
    fileMetadataId: rec.fileMetadataId,
    fileMimeType: rec.mimeType,
    fileName: rec.fileName,
    fileUri: rec.fileUri,
    parsedFileUri: '',
    createTime: rec.createTime,
    fileSource: rec.fileSource ?? 'SELF_UPLOAD_FILE_SOURCE',
  });
}

export function handleUploadV2(env, rq) {
  const { res, body, entry, uid, req } = rq;
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) return sendFailure(res, 'bad_request', { message: 'expected multipart/form-data with a boundary' });
  let parts;
  try {
    parts = parseMultipart(body, boundary);
  } catch (err) {
    return sendFailure(res, 'bad_request', { message: err.message });
  }
  entry.body = { size: body.length, multipart: parts.map((p) => ({ name: p.name, filename: p.filename, contentType: p.contentType, size: p.data.length })) };
  const files = parts.filter((p) => p.name === 'file');
  if (files.length !== 1) return sendFailure(res, 'bad_request', { message: `expected exactly one "file" part, got ${files.length}` });
  const file = files[0];
  if (!file.filename) return sendFailure(res, 'bad_request', { message: '"file" part needs a filename' });
  if (!file.contentType || !MIME_RE.test(file.contentType)) return sendFailure(res, 'bad_request', { message: '"file" part needs a Content-Type' });
  if (file.data.length === 0) return sendFailure(res, 'bad_request', { message: '"file" part is empty' });
  if (file.data.length > MAX_UPLOAD) return sendFailure(res, 'too_large');
  const source = parts.find((p) => p.name === 'file_source')?.data.toString('utf8') ?? null;
  const rec = store(env, uid, {
    fileName: file.filename,
    mimeType: file.contentType,
    bytes: Buffer.from(file.data),
    fileSource: source,
    fileMetadataId: env.state.nextId('file-metadata'),
    fileId: env.state.nextId('file'),
  });
  entry.upload = { fileUri: rec.fileUri, size: rec.bytes.length };
  return env.json(res, 200, {
    uploadId: env.state.nextId('upload'),
    fileMetadata: {
      fileMetadataId: rec.fileMetadataId,
      fileId: rec.fileId,
      fileUri: rec.fileUri,
      fileName: rec.fileName,
      fileMimeType: rec.mimeType,
      sizeBytes: String(rec.bytes.length),
      createTime: rec.createTime,
      fileSource: rec.fileSource,
    },
    terminalError: null,
  });
}
