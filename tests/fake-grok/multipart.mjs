// A strict multipart/form-data parser for the upload-v2 endpoint: returns the parts
// ({name, filename, contentType, data}) or throws on anything malformed.

export function boundaryOf(contentType) {
  const m = /^multipart\/form-data\s*;(.*)$/i.exec(contentType || '');
  if (!m) return null;
  const b = /(?:^|;)\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(m[1]);
  const boundary = b ? b[1] ?? b[2] : null;
  return boundary && boundary.length <= 70 ? boundary : null;
}

function parseDisposition(value) {
  if (!/^\s*form-data\s*(;|$)/i.test(value)) return null;
  const out = {};
  const re = /;\s*([a-zA-Z*]+)=(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  let m;
  while ((m = re.exec(value))) out[m[1].toLowerCase()] = (m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim());
  return out;
}

export function parseMultipart(body, boundary) {
  const fail = (msg) => { throw Object.assign(new Error(`malformed multipart: ${msg}`), { status: 400 }); };
  const delim = Buffer.from(`--${boundary}`);
  const parts = [];
  let pos = body.indexOf(delim);
  if (pos !== 0) {
    // A preamble is allowed but must end with CRLF before the first delimiter.
    if (pos < 0) fail('no opening boundary');
    if (body[pos - 2] !== 0x0d || body[pos - 1] !== 0x0a) fail('bad preamble');
  }
  for (;;) {
    pos += delim.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing delimiter
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) fail('boundary not followed by CRLF');
    pos += 2;
    const headEnd = body.indexOf('\r\n\r\n', pos);
    if (headEnd < 0) fail('part headers not terminated');
    const headers = {};
    for (const line of body.subarray(pos, headEnd).toString('utf8').split('\r\n')) {
      const c = line.indexOf(':');
      if (c <= 0) fail(`bad header line "${line}"`);
      headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
    }
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delim]), headEnd + 4);
    if (next < 0) fail('part not terminated by a boundary');
    const disp = parseDisposition(headers['content-disposition'] ?? '');
    if (!disp || !disp.name) fail('part without form-data name');
    parts.push({
      name: disp.name,
      filename: disp.filename ?? null,
      contentType: headers['content-type'] ?? null,
      data: body.subarray(headEnd + 4, next),
    });
    pos = next + 2;
    if (parts.length > 32) fail('too many parts');
  }
  return parts;
}
