// Package sqlite keeps the web console's accounts, sessions, audit log and
// approvals in one SQLite database in the output folder (modernc.org/sqlite:
// pure Go, no cgo). Passwords are stored as argon2id hashes and session
// tokens as their sha256, so that a copy of the file lets nobody in. The
// audit log and the approvals are append-only: triggers refuse to change or
// delete a row.
package sqlite

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	_ "modernc.org/sqlite"

	"bulletin/report"
)

// FileName is the database's name in the output folder.
const FileName = "console.sqlite"

// MinPassword is the shortest password accepted, in characters.
const MinPassword = 10

// ErrBadLogin is the answer to any failed login: unknown name, wrong
// password or disabled account look alike from outside.
var ErrBadLogin = errors.New("wrong name or password")

// ErrNoSession means the token names no live session.
var ErrNoSession = errors.New("no such session")

// Store is the console's database.
type Store struct{ db *sql.DB }

const schema = `
CREATE TABLE IF NOT EXISTS users (
	name     TEXT PRIMARY KEY,
	role     TEXT NOT NULL,
	password TEXT NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0,
	created  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
	token   TEXT PRIMARY KEY, -- sha256 of the cookie's token
	user    TEXT NOT NULL REFERENCES users(name),
	csrf    TEXT NOT NULL,
	address TEXT NOT NULL,
	created TEXT NOT NULL,
	expires TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit (
	id      INTEGER PRIMARY KEY AUTOINCREMENT,
	at      TEXT NOT NULL,
	user    TEXT NOT NULL,
	address TEXT NOT NULL,
	action  TEXT NOT NULL,
	period  TEXT NOT NULL,
	detail  TEXT NOT NULL,
	files   TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE IF NOT EXISTS approvals (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	period      TEXT NOT NULL,
	approved    INTEGER NOT NULL,
	by_user     TEXT NOT NULL,
	at          TEXT NOT NULL,
	reason      TEXT NOT NULL,
	inputs_sha  TEXT NOT NULL,
	figures_sha TEXT NOT NULL,
	documents   TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS approvals_no_update BEFORE UPDATE ON approvals BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
CREATE TRIGGER IF NOT EXISTS approvals_no_delete BEFORE DELETE ON approvals BEGIN SELECT RAISE(ABORT, 'approvals are append-only'); END;
`

// Open opens (creating it if need be) the database of the output folder
// outDir.
func Open(outDir string) (*Store, error) {
	path := filepath.Join(outDir, FileName)
	if err := os.MkdirAll(outDir, 0o755); err != nil { // the first account of a new installation
		return nil, &report.Error{Kind: report.KindOther, Op: "create the output folder", Path: outDir, Err: err}
	}
	// WAL and a busy timeout let `bulletin user` work while the console
	// runs; synchronous=FULL keeps the audit log through a power cut.
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, report.E(report.KindOther, "open "+path, err)
	}
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, &report.Error{Kind: report.KindOther, Op: "prepare the console database", Path: path, Err: err}
	}
	if err := addColumns(db); err != nil {
		db.Close()
		return nil, &report.Error{Kind: report.KindOther, Op: "prepare the console database", Path: path, Err: err}
	}
	return &Store{db: db}, nil
}

// laterColumns are columns added to a table after databases were made
// without them; an approval recorded before text_sha has none, and lapses.
var laterColumns = []struct{ table, column, definition string }{
	{"approvals", "text_sha", "TEXT NOT NULL DEFAULT ''"},
}

// addColumns adds the laterColumns a database made earlier lacks.
func addColumns(db *sql.DB) (err error) {
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// The write lock, taken before looking, makes look-and-add one step:
	// else two processes opening the database at once both find the column
	// missing, and the second to add it fails with "duplicate column name".
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return err
	}
	defer func() {
		if err != nil {
			conn.ExecContext(ctx, "ROLLBACK")
		}
	}()
	for _, c := range laterColumns {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM pragma_table_info(?) WHERE name = ?`, c.table, c.column).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			if _, err := conn.ExecContext(ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", c.table, c.column, c.definition)); err != nil {
				return err
			}
		}
	}
	_, err = conn.ExecContext(ctx, "COMMIT")
	return err
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseStamp(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s) // written by stamp only
	return t
}

// AddUser creates an account.
func (s *Store) AddUser(name string, role report.Role, password string, now time.Time) error {
	if err := checkName(name); err != nil {
		return err
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	_, err = s.db.Exec(`INSERT INTO users (name, role, password, created) VALUES (?, ?, ?, ?)`, name, string(role), hash, stamp(now))
	if err != nil && strings.Contains(err.Error(), "UNIQUE") {
		return report.Errorf(report.KindUsage, "账号 %s 已存在（改密码用 bulletin user passwd）", name)
	}
	return err
}

func checkName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 32 || strings.ContainsAny(name, " \t\r\n/\\:") {
		return report.Errorf(report.KindUsage, "账号名 %q 不合适：1–32 个字符，不含空格、斜杠和冒号", name)
	}
	return nil
}

// SetPassword changes name's password and ends its sessions.
func (s *Store) SetPassword(name, password string) error {
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.updateUser(name, `UPDATE users SET password = ? WHERE name = ?`, hash, name)
}

// Disable stops name from logging in and ends its sessions.
func (s *Store) Disable(name string) error {
	return s.updateUser(name, `UPDATE users SET disabled = 1 WHERE name = ?`, name)
}

func (s *Store) updateUser(name, query string, args ...any) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	res, err := tx.Exec(query, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return report.Errorf(report.KindUsage, "没有账号 %s（bulletin user list 列出全部账号）", name)
	}
	if _, err := tx.Exec(`DELETE FROM sessions WHERE user = ?`, name); err != nil {
		return err
	}
	return tx.Commit()
}

// Users lists the accounts by name.
func (s *Store) Users() ([]report.User, error) {
	rows, err := s.db.Query(`SELECT name, role, disabled, created FROM users ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var users []report.User
	for rows.Next() {
		var u report.User
		var role, created string
		if err := rows.Scan(&u.Name, &role, &u.Disabled, &created); err != nil {
			return nil, err
		}
		u.Role, u.Created = report.Role(role), parseStamp(created)
		users = append(users, u)
	}
	return users, rows.Err()
}

// Authenticate checks a name and password; any failure is ErrBadLogin.
func (s *Store) Authenticate(name, password string) (report.User, error) {
	var u report.User
	var role, hash, created string
	err := s.db.QueryRow(`SELECT name, role, password, disabled, created FROM users WHERE name = ?`, name).
		Scan(&u.Name, &role, &hash, &u.Disabled, &created)
	if errors.Is(err, sql.ErrNoRows) {
		verifyPassword(dummyHash(), password) // take as long as for a real account
		return report.User{}, ErrBadLogin
	}
	if err != nil {
		return report.User{}, err
	}
	if !verifyPassword(hash, password) || u.Disabled {
		return report.User{}, ErrBadLogin
	}
	u.Role, u.Created = report.Role(role), parseStamp(created)
	return u, nil
}

// NewSession starts a session for user and returns the cookie's token;
// only its sha256 is stored.
func (s *Store) NewSession(user, address string, now time.Time, ttl time.Duration) (token string, err error) {
	token, csrf := randomToken(), randomToken()
	_, err = s.db.Exec(`INSERT INTO sessions (token, user, csrf, address, created, expires) VALUES (?, ?, ?, ?, ?, ?)`,
		tokenKey(token), user, csrf, address, stamp(now), stamp(now.Add(ttl)))
	return token, err
}

// Session returns the live session of token, with its user; a session of a
// disabled account or past its end is gone.
func (s *Store) Session(token string, now time.Time) (report.Session, error) {
	var sess report.Session
	var role, expires, created string
	err := s.db.QueryRow(`SELECT u.name, u.role, u.created, u.disabled, s.csrf, s.expires FROM sessions s JOIN users u ON u.name = s.user WHERE s.token = ?`,
		tokenKey(token)).Scan(&sess.User.Name, &role, &created, &sess.User.Disabled, &sess.CSRF, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return report.Session{}, ErrNoSession
	}
	if err != nil {
		return report.Session{}, err
	}
	sess.User.Role, sess.User.Created, sess.Expires = report.Role(role), parseStamp(created), parseStamp(expires)
	if sess.User.Disabled || !now.Before(sess.Expires) {
		s.EndSession(token)
		return report.Session{}, ErrNoSession
	}
	return sess, nil
}

// EndSession logs a session out.
func (s *Store) EndSession(token string) error {
	_, err := s.db.Exec(`DELETE FROM sessions WHERE token = ?`, tokenKey(token))
	return err
}

// Audit appends an event to the audit log.
func (s *Store) Audit(e report.AuditEvent) error {
	files, err := json.Marshal(nonNil(e.Files))
	if err != nil {
		return err
	}
	_, err = s.db.Exec(`INSERT INTO audit (at, user, address, action, period, detail, files) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		stamp(e.At), e.User, e.Address, e.Action, e.Period, e.Detail, string(files))
	return err
}

// AuditLog returns the latest limit events, newest first.
func (s *Store) AuditLog(limit int) ([]report.AuditEvent, error) {
	rows, err := s.db.Query(`SELECT at, user, address, action, period, detail, files FROM audit ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var events []report.AuditEvent
	for rows.Next() {
		var e report.AuditEvent
		var at, files string
		if err := rows.Scan(&at, &e.User, &e.Address, &e.Action, &e.Period, &e.Detail, &files); err != nil {
			return nil, err
		}
		e.At = parseStamp(at)
		if err := json.Unmarshal([]byte(files), &e.Files); err != nil {
			return nil, err
		}
		events = append(events, e)
	}
	return events, rows.Err()
}

// AddApproval records a leader's approval or withholding of a period.
func (s *Store) AddApproval(a report.Approval) error {
	docs, err := json.Marshal(nonNil(a.Documents))
	if err != nil {
		return err
	}
	_, err = s.db.Exec(`INSERT INTO approvals (period, approved, by_user, at, reason, inputs_sha, figures_sha, text_sha, documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.Period, a.Approved, a.By, stamp(a.At), a.Reason, a.InputsSHA256, a.FiguresSHA256, a.TextSHA256, string(docs))
	return err
}

// LatestApproval returns the last decision on period, if any.
func (s *Store) LatestApproval(period string) (report.Approval, bool, error) {
	var a report.Approval
	var at, docs string
	err := s.db.QueryRow(`SELECT period, approved, by_user, at, reason, inputs_sha, figures_sha, text_sha, documents FROM approvals WHERE period = ? ORDER BY id DESC LIMIT 1`, period).
		Scan(&a.Period, &a.Approved, &a.By, &at, &a.Reason, &a.InputsSHA256, &a.FiguresSHA256, &a.TextSHA256, &docs)
	if errors.Is(err, sql.ErrNoRows) {
		return report.Approval{}, false, nil
	}
	if err != nil {
		return report.Approval{}, false, err
	}
	a.At = parseStamp(at)
	return a, true, json.Unmarshal([]byte(docs), &a.Documents)
}

func nonNil(files []report.FileHash) []report.FileHash {
	if files == nil {
		return []report.FileHash{}
	}
	return files
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// argon2id parameters: OWASP's recommended minimum (19 MiB, 2 passes).
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// dummyHash is verified against when the account does not exist. It is
// made at the first such login, not when the program starts: every command
// links this package, and one hash costs a quarter of a second and 19 MiB.
var dummyHash = sync.OnceValue(func() string {
	h, err := hashPassword("not a real password, only for timing")
	if err != nil {
		panic(err)
	}
	return h
})

func hashPassword(password string) (string, error) {
	if utf8.RuneCountInString(password) < MinPassword {
		return "", report.Errorf(report.KindUsage, "密码太短：至少 %d 个字符", MinPassword)
	}
	salt := make([]byte, 16)
	rand.Read(salt)
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

func verifyPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var memory uint32
	var passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false
	}
	enc := base64.RawStdEncoding
	salt, err1 := enc.DecodeString(parts[4])
	want, err2 := enc.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}
