package app

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestSandboxCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut syncBuffer
	env := &Env{Stdout: &out, Stderr: &errOut}
	done := make(chan error, 1)
	go func() {
		done <- runSandbox(ctx, env, []string{"--addr", "127.0.0.1:0", "--auto-approve", "--time-scale", "0.01"})
	}()

	urlRE := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)
	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := urlRE.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("no URL printed; stdout %q stderr %q", out.String(), errOut.String())
	}
	for _, want := range []string{"config set xero.base_url " + base, "sandbox-web", "Demo Company (UK)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	resp, err := http.Get(base + "/connections")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET /connections without a token: %d, want 401", resp.StatusCode)
	}

	t.Run("busy port", func(t *testing.T) {
		var o, e bytes.Buffer
		code := Main([]string{"sandbox", "--addr", strings.TrimPrefix(base, "http://")}, &o, &e)
		if code != 1 || !strings.Contains(e.String(), "already in use") {
			t.Fatalf("exit %d, stderr %q", code, e.String())
		}
	})

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sandbox returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("sandbox did not stop after cancel")
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second); err == nil {
		t.Fatal("still listening after cancel")
	}
}

func TestSandboxCommandRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"all interfaces", []string{"--addr", ":8089"}, "not a loopback address"},
		{"public address", []string{"--addr", "0.0.0.0:8089"}, "not a loopback address"},
		{"host name", []string{"--addr", "example.com:8089"}, "not a loopback address"},
		{"no port", []string{"--addr", "127.0.0.1"}, "not HOST:PORT"},
		{"bad time scale", []string{"--time-scale", "0"}, "--time-scale"},
		{"extra argument", []string{"now"}, "takes no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var o, e bytes.Buffer
			code := Main(append([]string{"sandbox"}, tc.args...), &o, &e)
			if code != 2 || !strings.Contains(e.String(), tc.want) {
				t.Fatalf("exit %d, stderr %q; want 2 and %q", code, e.String(), tc.want)
			}
		})
	}
}
