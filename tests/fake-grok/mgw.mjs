// The mgw chat WebSocket (`/ws/mgw/?uid=`), reference §2.6: session.create →
// session.created + conversation.attached; conversation.item.create →
// conversation.item.added; response.create → the scenario's events (mgw-scenarios.mjs);
// ping → pong. Protocol misuse gets an `error` event. Client frames are recorded.
import { MODES } from './defaults.mjs';
import { recordedAnswer } from './content.mjs';
import { isObject, sleep } from './util.mjs';
import { stripMarkers } from './scenarios.mjs';
import { buildMgwResponse } from './mgw-scenarios.mjs';

const MAX_RECORDED_FRAME = 64 * 1024;

export function handleMgw(env, ws, { entry, token, uid, handshakeScenario }) {
  const { state } = env;
  const conn = { sessionId: null, convo: null, isNew: true, model: null, xGrok: {}, item: null, responding: false, turns: 0 };
  entry.ws = { clientFrames: [], serverFrames: 0, closeCode: null, closedBy: null };
  entry._conn = conn;

  const send = (event) => {
    if (ws.readyState !== ws.OPEN) return;
    const frame = conn.sessionId ? { session_id: conn.sessionId, event } : { event };
    ws.send(JSON.stringify(frame));
    entry.ws.serverFrames++;
  };
  const protoError = (code, message, clientEventId) => send({ type: 'error', ...(clientEventId ? { client_event_id: clientEventId } : {}), error: { code, message } });

  ws.on('close', (code) => {
    entry.ws.closeCode = code;
    if (!entry.ws.closedBy) entry.ws.closedBy = 'client';
  });

  ws.on('message', (data, isBinary) => {
    const text = data.toString('utf8');
    let msg = null;
    try { msg = JSON.parse(text); } catch { /* recorded raw below */ }
    entry.ws.clientFrames.push(msg !== null && text.length <= MAX_RECORDED_FRAME ? msg : { raw: text.slice(0, 1000), size: data.length, binary: isBinary });
    if (!isObject(msg) || !isObject(msg.event) || typeof msg.event.type !== 'string') return protoError('invalid_request', 'frame must be a JSON object with an "event" object that has a "type"');
    const ev = msg.event;
    if (conn.sessionId && msg.session_id !== undefined && msg.session_id !== conn.sessionId) entry.notes.push(`frame session_id ${msg.session_id} != ${conn.sessionId}`);
    switch (ev.type) {
      case 'ping':
        return send({ type: 'pong', client_event_id: ev.event_id ?? null });
      case 'session.create':
        return onSessionCreate(msg, ev);
      case 'conversation.item.create':
        return onItemCreate(ev);
      case 'response.create':
        return onResponseCreate(ev);
      case 'session.update':
        return undefined;
      default:
        return protoError('unknown_event', `unknown event type "${ev.type}"`, ev.event_id);
    }
  });

  function onSessionCreate(msg, ev) {
    if (conn.sessionId) return protoError('invalid_request', 'session already created', ev.event_id);
    if (typeof ev.event_id !== 'string' || !ev.event_id) return protoError('invalid_request', 'session.create needs an event_id');
    const s = ev.session;
    if (!isObject(s) || !MODES.includes(s.model)) return protoError('invalid_model', `session.model must be one of ${MODES.join(', ')}`, ev.event_id);
    const xg = isObject(s.x_grok) ? s.x_grok : {};
    conn.model = s.model;
    conn.xGrok = xg;
    if (xg.conversation_id) {
      const convo = state.conversations.get(xg.conversation_id);
      if (!convo || convo.uid !== uid) return protoError('conversation_not_found', `conversation ${xg.conversation_id} not found`, ev.event_id);
      if (msg.session_id !== xg.conversation_id) entry.notes.push('continue: top-level session_id differs from x_grok.conversation_id');
      conn.convo = convo;
      conn.isNew = false;
    } else {
      const id = state.nextId('conversation');
      conn.convo = { id, uid, token, responses: [], via: 'mgw' };
      state.conversations.set(id, conn.convo);
    }
    if (handshakeScenario?.name === 'stall_first') {
      entry._inFlight = true;
      entry.notes.push('stalled before session.created');
      return undefined;
    }
    conn.sessionId = conn.convo.id;
    send({ type: 'session.created', client_event_id: ev.event_id, session: { id: conn.sessionId, model: conn.model } });
    send({ type: 'conversation.attached', conversation: { id: conn.convo.id } });
    return undefined;
  }

  function onItemCreate(ev) {
    if (!conn.sessionId) return protoError('invalid_request', 'no session: send session.create first', ev.event_id);
    const item = ev.item;
    const chunks = item?.x_grok?.input_chunks;
    if (!isObject(item) || item.type !== 'message' || item.role !== 'user' || !Array.isArray(chunks) || chunks.length === 0) {
      return protoError('invalid_request', 'item must be {type:"message", role:"user", x_grok:{input_chunks:[...]}}', ev.event_id);
    }
    const texts = [];
    const files = [];
    for (const c of chunks) {
      if (typeof c?.text?.text === 'string') texts.push(c.text.text);
      else if (typeof c?.mention?.target?.file_mention?.file_id === 'string') files.push(c.mention.target.file_mention.file_id);
      else return protoError('invalid_request', 'unknown input chunk', ev.event_id);
    }
    for (const f of files) {
      const up = state.fileIds.get(f);
      if (!up || up.uid !== uid) return protoError('file_not_found', `file ${f} not found`, ev.event_id);
    }
    const declared = item.file_attachment_ids ?? ev.file_attachment_ids;
    if (files.length && !Array.isArray(declared)) entry.notes.push('file mentions without file_attachment_ids');
    conn.item = {
      text: texts.join('\n'),
      files,
      clientMessageId: item.x_grok.client_message_id ?? null,
      parentResponseId: item.parent_response_id ?? item.x_grok.parent_response_id ?? ev.parent_response_id ?? null,
      id: state.nextId('response'),
    };
    send({ type: 'conversation.item.added', client_event_id: ev.event_id ?? null, item: { id: conn.item.id, client_message_id: conn.item.clientMessageId, role: 'user' } });
    return undefined;
  }

  async function onResponseCreate(ev) {
    if (!conn.sessionId) return protoError('invalid_request', 'no session: send session.create first', ev.event_id);
    if (!conn.item) return protoError('invalid_request', 'response.create without a conversation.item.create', ev.event_id);
    if (conn.responding) return protoError('invalid_request', 'a response is already in progress', ev.event_id);
    const item = conn.item;
    conn.item = null;
    conn.responding = true;
    const scenario = env.resolve({ token, prompt: item.text, surface: 'mgw', path: '/ws/mgw/' });
    entry.scenario = scenario.name;
    entry.scenarioSource = scenario.source;
    // What the fake received and what it answered (entry.chat: the latest turn on this socket).
    const turn = { transport: 'mgw', scenario: scenario.name, source: scenario.source, mode: conn.model, prompt: item.text, files: item.files, answer: null };
    (entry.ws.responses ??= []).push(turn);
    entry.chat = turn;
    const ctx = {
      sessionId: conn.sessionId,
      responseId: state.nextId('response'),
      prompt: stripMarkers(item.text),
      isNew: conn.isNew && conn.turns === 0,
      uid,
      options: scenario.options,
      imageCount: Math.min(2, Math.max(1, Number(conn.xGrok.image_generation_count) || 2)),
      nextId: state.nextId,
      registerAsset: (path, kind) => env.registerAsset(path, kind, uid),
    };
    env.consumeQuota(token, conn.model);
    const built = buildMgwResponse(scenario.name, ctx);
    Object.assign(turn, recordedAnswer(built.sent ?? built.message));
    // Grok's ids for this turn, which a later follow-up names (conversation and parent response).
    turn.conversationId = conn.convo.id;
    turn.responseId = ctx.responseId;
    turn.images = built.generatedImageUrls ?? [];
    conn.convo.responses.push(
      { responseId: item.id, sender: 'human', message: ctx.prompt, parentResponseId: item.parentResponseId, createTime: new Date().toISOString() },
      { responseId: ctx.responseId, sender: 'assistant', message: built.message, parentResponseId: item.id, createTime: new Date().toISOString(), generatedImageUrls: built.generatedImageUrls ?? [], partial: !!built.incomplete },
    );
    entry._inFlight = true;
    const delayMs = scenario.options.delayMs ?? state.config.frameDelayMs;
    let first = true;
    for (const step of built.steps) {
      if (ws.readyState !== ws.OPEN || env.isClosing()) return undefined;
      if (step.delay !== undefined) {
        await sleep(step.delay);
        first = true;
        continue;
      }
      if (!first && delayMs > 0) await sleep(delayMs);
      first = false;
      if (ws.readyState !== ws.OPEN) return undefined;
      if (step.destroy) {
        entry._serverCut = true;
        entry._done('server_abort');
        ws.terminate();
        return undefined;
      }
      if (step.stall) {
        entry.notes.push('stalled');
        return undefined;
      }
      if (step.close) {
        entry._serverClosed = true;
        entry._inFlight = false;
        entry.ws.closedBy = 'server';
        ws.close(step.close.code, step.close.reason);
        return undefined;
      }
      if (step.raw !== undefined) {
        ws.send(step.raw, { binary: false });
        entry.ws.serverFrames++;
      } else send(step.event);
    }
    entry._inFlight = false;
    conn.responding = false;
    conn.turns++;
    return undefined;
  }
}
