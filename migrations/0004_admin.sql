-- The admin surface (/api/admin/): admin users with PBKDF2 password hashes, cookie sessions
-- (only the SHA-256 of the cookie value is stored), the login throttle, the audit trail, and
-- the request_logs indexes the dashboard and the log filters need.

CREATE TABLE IF NOT EXISTS admin_users (
  username TEXT PRIMARY KEY,
  password_hash TEXT NOT NULL,                -- base64 of PBKDF2-SHA256, 256 bits
  password_salt TEXT NOT NULL,                -- base64 of 16 random bytes
  password_iter INTEGER NOT NULL,             -- PBKDF2 iterations used for this hash
  must_change_password INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL DEFAULT 0,
  last_login_at INTEGER NOT NULL DEFAULT 0
);

-- The default credentials admin / admin (PBKDF2-SHA256, 100,000 iterations). The first login
-- must change them: every other admin call answers 403 password_change_required until then.
INSERT OR IGNORE INTO admin_users
  (username, password_hash, password_salt, password_iter, must_change_password, created_at)
VALUES ('admin', 'aNOnwR7tzUEz/hdwtUlhuVcsHzBfIuAIUOzd/bFcGGo=', '69+QCSzTzv/PbehqCuuviw==',
        100000, 1, 0);

CREATE TABLE IF NOT EXISTS admin_sessions (
  token_hash TEXT PRIMARY KEY,                -- hex SHA-256 of the g2a_session cookie value
  username TEXT NOT NULL,
  csrf_token TEXT NOT NULL,                   -- sent back in X-CSRF-Token on every write
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,                -- sliding: 12 h after the last re-issue
  reissued_at INTEGER NOT NULL,               -- last time the cookie was sent again
  ip TEXT
);
CREATE INDEX IF NOT EXISTS idx_admin_sessions_user ON admin_sessions (username);
CREATE INDEX IF NOT EXISTS idx_admin_sessions_expires ON admin_sessions (expires_at);

-- Failed logins per client IP and per username: 5 within 15 minutes lock that subject for
-- 15 minutes. A successful login deletes both rows.
CREATE TABLE IF NOT EXISTS login_attempts (
  scope TEXT NOT NULL CHECK (scope IN ('ip', 'user')),
  subject TEXT NOT NULL,
  failures INTEGER NOT NULL DEFAULT 0,
  first_at INTEGER NOT NULL,                  -- first failure of the current window
  locked_until INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (scope, subject)
);

-- Every successful admin write: who, what, on what, when. `detail` is JSON without secrets.
CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  ts INTEGER NOT NULL,
  username TEXT NOT NULL,
  action TEXT NOT NULL,                       -- e.g. tokens.import, keys.create, settings.update
  target TEXT,
  detail TEXT NOT NULL DEFAULT '{}',
  ip TEXT
);
CREATE INDEX IF NOT EXISTS idx_audit_log_ts ON audit_log (ts);

-- Dashboard statistics read only this covering index (time range scans, no table lookups).
CREATE INDEX IF NOT EXISTS idx_request_logs_stats ON request_logs (ts, status, ttfb_ms, model);
-- The key filter of the log viewer.
CREATE INDEX IF NOT EXISTS idx_request_logs_key_ts ON request_logs (key_id, ts);
