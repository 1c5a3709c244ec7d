// Account-level REST endpoints: `/api/auth/session`, `/rest/rate-limits`,
// `/rest/media/imagine/quota_info`, media posts (`/rest/media/post/create|get`), and
// the ToS / birth-date / NSFW calls of reference §2.5 (minimal but checked).
import { isObject, tryJson } from './util.mjs';
import { sendFailure } from './errors.mjs';
import { rateLimitsBody, quotaInfoBody } from './quota.mjs';

export function handleSession(env, rq) {
  const { res, token, uid } = rq;
  if (!token) return env.json(res, 200, { status: 'unauthenticated' });
  const scenario = env.scenarioFor(rq, 'session', '', { sendErrors: false });
  if (scenario.name === '401') return env.json(res, 401, { status: 'unauthenticated' });
  if (scenario.name === 'blocked') return env.json(res, 200, { status: 'blocked', error: 'blocked-user' });
  if (env.sendScenarioFailure(rq, scenario)) return;
  return env.json(res, 200, { session: { userId: uid }, status: 'authenticated' });
}

function jsonBody(rq) {
  const j = tryJson(rq.body);
  return j.ok && isObject(j.value) ? j.value : null;
}

export function handleRateLimits(env, rq) {
  const b = jsonBody(rq);
  if (!b || typeof b.modelName !== 'string' || !b.modelName) return sendFailure(rq.res, 'bad_request', { message: '"modelName" is required' });
  if (b.requestKind !== undefined && b.requestKind !== 'DEFAULT' && b.requestKind !== 'REASONING' && b.requestKind !== 'DEEPSEARCH') {
    return sendFailure(rq.res, 'bad_request', { message: `unknown requestKind ${b.requestKind}` });
  }
  return env.json(rq.res, 200, rateLimitsBody(env.state, rq.token, b));
}

export function handleQuotaInfo(env, rq) {
  if (rq.body.length && !jsonBody(rq)) return sendFailure(rq.res, 'bad_request', { message: 'body must be {}' });
  return env.json(rq.res, 200, quotaInfoBody(env.state, rq.token));
}

const POST_TYPES = ['MEDIA_POST_TYPE_IMAGE', 'MEDIA_POST_TYPE_VIDEO'];

export function handlePostCreate(env, rq) {
  const b = jsonBody(rq);
  if (!b || !POST_TYPES.includes(b.mediaType)) return sendFailure(rq.res, 'bad_request', { message: `"mediaType" must be one of ${POST_TYPES.join(', ')}` });
  if (b.mediaType === 'MEDIA_POST_TYPE_IMAGE' && (typeof b.mediaUrl !== 'string' || !b.mediaUrl)) {
    return sendFailure(rq.res, 'bad_request', { message: 'an image post needs "mediaUrl"' });
  }
  const post = env.ensurePost(null, { uid: rq.uid, mediaType: b.mediaType, mediaUrl: b.mediaUrl ?? '', prompt: b.prompt ?? '' });
  return env.json(rq.res, 200, { post: env.posts().get(post) });
}

export function handlePostGet(env, rq) {
  const b = jsonBody(rq);
  if (!b || typeof b.id !== 'string') return sendFailure(rq.res, 'bad_request', { message: '"id" is required' });
  const post = env.posts().get(b.id);
  if (!post || post.userId !== rq.uid) return sendFailure(rq.res, 'not_found', { message: `post ${b.id} not found` });
  return env.json(rq.res, 200, { post });
}

export function handleBirthDate(env, rq) {
  const b = jsonBody(rq);
  if (!b || typeof b.birthDate !== 'string' || Number.isNaN(Date.parse(b.birthDate))) return sendFailure(rq.res, 'bad_request', { message: '"birthDate" must be an ISO date' });
  return env.json(rq.res, 200, {});
}

export function handleTos(env, rq) {
  const b = jsonBody(rq);
  if (!b || b.tosVersion === undefined) return sendFailure(rq.res, 'bad_request', { message: '"tosVersion" is required' });
  env.state.tos.set(rq.token, b.tosVersion);
  return env.json(rq.res, 200, {});
}

// gRPC-web: one empty data frame and a trailer frame with grpc-status.
export function grpcWeb(res, status = 0, message = '') {
  const trailer = Buffer.from(`grpc-status:${status}\r\ngrpc-message:${encodeURIComponent(message)}\r\n`);
  const head = Buffer.from([0x80, 0, 0, 0, 0]);
  head.writeUInt32BE(trailer.length, 1);
  const body = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), head, trailer]);
  res.writeHead(200, { 'content-type': 'application/grpc-web+proto', 'content-length': body.length });
  res.end(body);
}

export function handleGrpcTos(env, rq) {
  env.state.tos.set(rq.token, 'grpc');
  return grpcWeb(rq.res, 0);
}

export function handleGrpcNsfw(env, rq) {
  if (!env.state.tos.has(rq.token)) return grpcWeb(rq.res, 7, 'unauthorized:tos-accepted-version-required');
  return grpcWeb(rq.res, 0);
}
