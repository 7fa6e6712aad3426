package sqlite

import (
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"bulletin/report"
)

var now = time.Date(2025, 6, 3, 10, 0, 0, 0, time.UTC)

func TestAccountsAndSessions(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.AddUser("wang", report.RoleClerk, "short", now); err == nil {
		t.Error("a password of 5 characters was accepted")
	}
	if err := s.AddUser("../x", report.RoleClerk, "long enough password", now); err == nil {
		t.Error("a name with a slash was accepted")
	}
	if err := s.AddUser("wang", report.RoleClerk, "long enough password", now); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser("wang", report.RoleLeader, "another long password", now); err == nil {
		t.Error("a second account of the same name was made")
	}
	for _, c := range []struct{ name, password string }{{"wang", "wrong password!"}, {"li", "long enough password"}} {
		if _, err := s.Authenticate(c.name, c.password); !errors.Is(err, ErrBadLogin) {
			t.Errorf("Authenticate(%s, %s) = %v, want ErrBadLogin", c.name, c.password, err)
		}
	}
	u, err := s.Authenticate("wang", "long enough password")
	if err != nil || u.Role != report.RoleClerk {
		t.Fatalf("Authenticate = %+v, %v", u, err)
	}
	token, err := s.NewSession("wang", "10.0.0.5", now, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	var stored string
	s.db.QueryRow(`SELECT token FROM sessions`).Scan(&stored)
	if stored == token {
		t.Error("the session token is stored as it is, not hashed")
	}
	if sess, err := s.Session(token, now.Add(30*time.Minute)); err != nil || sess.User.Name != "wang" || len(sess.CSRF) < 40 {
		t.Fatalf("Session = %+v, %v", sess, err)
	}
	if _, err := s.Session(token, now.Add(time.Hour)); !errors.Is(err, ErrNoSession) {
		t.Errorf("an expired session still works: %v", err)
	}
	token, _ = s.NewSession("wang", "10.0.0.5", now, time.Hour)
	if err := s.SetPassword("wang", "a new long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(token, now); !errors.Is(err, ErrNoSession) {
		t.Error("a session outlived a password change")
	}
	token, _ = s.NewSession("wang", "10.0.0.5", now, time.Hour)
	if err := s.Disable("wang"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Session(token, now); !errors.Is(err, ErrNoSession) {
		t.Error("a session outlived disabling the account")
	}
	if _, err := s.Authenticate("wang", "a new long password"); !errors.Is(err, ErrBadLogin) {
		t.Error("a disabled account can log in")
	}
	if err := s.Disable("nobody"); err == nil {
		t.Error("disabling an unknown account did not fail")
	}
}

func TestAuditLogAndApprovalsAreAppendOnly(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	e := report.AuditEvent{At: now, User: "wang", Address: "10.0.0.5", Action: "upload", Period: "2025-05",
		Files: []report.FileHash{{Name: "案件.xlsx", SHA256: "ab"}}}
	if err := s.Audit(e); err != nil {
		t.Fatal(err)
	}
	if err := s.AddApproval(report.Approval{Period: "2025-05", Approved: true, By: "zhao", At: now}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{"UPDATE audit SET user = 'li'", "DELETE FROM audit", "UPDATE approvals SET by_user = 'li'", "DELETE FROM approvals"} {
		if _, err := s.db.Exec(stmt); err == nil {
			t.Errorf("%s succeeded", stmt)
		}
	}
	events, err := s.AuditLog(10)
	if err != nil || len(events) != 1 || events[0].User != "wang" || events[0].Files[0].Name != "案件.xlsx" || !events[0].At.Equal(now) {
		t.Errorf("AuditLog = %+v, %v", events, err)
	}
	a, ok, err := s.LatestApproval("2025-05")
	if err != nil || !ok || a.By != "zhao" {
		t.Errorf("LatestApproval = %+v %v %v", a, ok, err)
	}
}

// TestDatabaseMadeBeforeTextDigestsOpens: a console database made before
// approvals recorded the text's digest opens, keeps its approvals (which
// have none, and so lapse), and records new ones with it.
func TestDatabaseMadeBeforeTextDigestsOpens(t *testing.T) {
	dir := t.TempDir()
	old := earlierDatabase(t, dir)
	if _, err := old.Exec(`INSERT INTO approvals (period, approved, by_user, at, reason, inputs_sha, figures_sha, documents) VALUES ('2025-04', 1, 'zhao', ?, '', 'aa', 'bb', '[]')`, stamp(now)); err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if a, ok, err := s.LatestApproval("2025-04"); err != nil || !ok || a.FiguresSHA256 != "bb" || a.TextSHA256 != "" {
		t.Errorf("the earlier approval: %+v %v %v", a, ok, err)
	}
	if err := s.AddApproval(report.Approval{Period: "2025-05", Approved: true, By: "zhao", At: now, TextSHA256: "cc"}); err != nil {
		t.Fatal(err)
	}
	if a, _, err := s.LatestApproval("2025-05"); err != nil || a.TextSHA256 != "cc" {
		t.Errorf("a new approval: %+v %v", a, err)
	}
}

// earlierDatabase makes in dir a console database as made before
// laterColumns (in WAL mode, as Open always made them), and returns it open.
func earlierDatabase(t *testing.T, dir string) *sql.DB {
	t.Helper()
	old, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName)+"?_pragma=journal_mode(WAL)")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(schema); err != nil { // the tables as made before laterColumns
		t.Fatal(err)
	}
	if _, err := old.Exec(`SELECT text_sha FROM approvals`); err == nil {
		t.Fatal("the schema has text_sha: this test no longer makes an earlier database")
	}
	return old
}

// TestEarlierDatabaseOpenedAtOnce: the console and `bulletin user` may
// open an earlier database at the same time; both add the missing column,
// and neither may fail with "duplicate column name".
func TestEarlierDatabaseOpenedAtOnce(t *testing.T) {
	const rounds, openers = 20, 8
	for round := 0; round < rounds; round++ {
		dir := t.TempDir()
		earlierDatabase(t, dir).Close()
		start := make(chan struct{})
		errs := make(chan error, openers)
		var wg sync.WaitGroup
		for i := 0; i < openers; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				s, err := Open(dir)
				if err == nil {
					err = s.Close()
				}
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		s, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM pragma_table_info('approvals') WHERE name = 'text_sha'`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("round %d: text_sha %d times, %v", round, n, err)
		}
		s.Close()
	}
}
