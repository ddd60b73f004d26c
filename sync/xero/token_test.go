package xero

import (
	"context"
	"errors"
	"os"
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
