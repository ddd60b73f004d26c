package xero

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

func TestFileStore(t *testing.T) {
	ctx := context.Background()
	s := &FileStore{Path: filepath.Join(t.TempDir(), "sub", "token.json")}
	if _, err := s.Load(ctx); !errors.Is(err, ErrNoToken) {
		t.Fatalf("empty: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		t.Fatal(err)
	}
	tok := &Token{AccessToken: "a", RefreshToken: "r", Expiry: time.Unix(1700000000, 0).UTC()}
	if err := s.Save(ctx, tok); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(s.Path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", fi.Mode(), err)
	}
	got, err := s.Load(ctx)
	if err != nil || *got != *tok {
		t.Fatalf("load: %+v %v", got, err)
	}
	if err := os.WriteFile(s.Path, []byte(`{"refresh_token":`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); err == nil || errors.Is(err, ErrNoToken) {
		t.Fatalf("damaged file: %v", err)
	}
	if err := s.Clear(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx); !errors.Is(err, ErrNoToken) {
		t.Fatalf("after clear: %v", err)
	}
}

// TestLockFileAcrossProcesses holds the lock in a child process and checks
// that this process waits for it.
func TestLockFileAcrossProcesses(t *testing.T) {
	if path := os.Getenv("XERO_TEST_HOLD_LOCK"); path != "" {
		unlock, err := LockFile(context.Background(), path)
		if err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString("locked\n")
		bufio.NewReader(os.Stdin).ReadString('\n') // hold until the parent says
		unlock()
		os.Exit(0)
	}
	path := filepath.Join(t.TempDir(), "x.lock")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLockFileAcrossProcesses$")
	cmd.Env = append(os.Environ(), "XERO_TEST_HOLD_LOCK="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("child: %q %v", line, err)
	}
	short, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	defer cancel()
	if _, err := LockFile(short, path); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("lock held by another process was taken: %v", err)
	}
	stdin.Write([]byte("\n"))
	unlock, err := LockFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	unlock()
}
