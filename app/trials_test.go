package app

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// sigkillTrials is how many runs TestExportSurvivesSIGKILL kills:
// OCX_SIGKILL_TRIALS, default 12.
func sigkillTrials() int {
	if n, err := strconv.Atoi(os.Getenv("OCX_SIGKILL_TRIALS")); err == nil && n > 0 {
		return n
	}
	return 12
}

// buildCLI builds the program (headless, no cgo) into a temporary directory.
func buildCLI(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "opencart-xero")
	build := exec.Command("go", "build", "-tags", "ci", "-o", bin, "..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// TestTwoProcessesOneHistory starts a second `export all` while a first
// one runs on the same profile (two real processes, one history.db): the
// second is refused at once with a clear message and writes nothing; the
// first finishes. A trial: OCX_TRIALS=1 (make trials).
func TestTwoProcessesOneHistory(t *testing.T) {
	if os.Getenv("OCX_TRIALS") != "1" {
		t.Skip("a trial; OCX_TRIALS=1 (make trials) runs it")
	}
	bin := buildCLI(t)
	s := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	simpleOrders(db, 9001, 200)
	dir := connectedProfile(t, s, db)
	for _, args := range [][]string{{"config", "set", "invoice.status", "AUTHORISED"}, {"config", "propose"}} {
		if code, out, errOut := run(t, dir, args...); code != 0 {
			t.Fatal(out, errOut)
		}
	}
	s.Inject(xerotest.Fault{Kind: xerotest.FaultSlow, Times: -1, Delay: 400 * time.Millisecond})
	cli := func(args ...string) *exec.Cmd {
		cmd := exec.Command(bin, append([]string{"--profile", dir}, args...)...)
		cmd.Env = append(os.Environ(), SecretsEnv+"=file")
		return cmd
	}
	first := cli("export", "all")
	stdout, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	first.Stderr = first.Stdout
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	var firstOut strings.Builder
	for sc.Scan() {
		firstOut.WriteString(sc.Text() + "\n")
		if strings.HasPrefix(sc.Text(), "  ") {
			break // the first run is exporting
		}
	}
	// The second process reaches Xero only through a front that notes its
	// requests: the first keeps writing all along (it read the sandbox's
	// own address at start), so the sandbox's counters alone cannot tell
	// which process made a call.
	var frontMu sync.Mutex
	var secondCalls []string
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		frontMu.Lock()
		secondCalls = append(secondCalls, r.Method+" "+strings.TrimPrefix(r.URL.Path, "/api.xro/2.0"))
		frontMu.Unlock()
		s.ServeHTTP(w, r)
	}))
	defer front.Close()
	if code, out, errOut := run(t, dir, "config", "set", "xero.base_url", front.URL); code != 0 {
		t.Fatal(out, errOut)
	}
	start := time.Now()
	out, err := cli("export", "all").CombinedOutput()
	took := time.Since(start)
	code := -1
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err == nil {
		code = 0
	}
	if code == 0 || !strings.Contains(string(out), "another export is running") {
		t.Errorf("second process: exit %d after %s:\n%s", code, took, out)
	}
	// Refused before it exports, the second process may at most read
	// (e.g. renew the sign-in); it must not write to Xero.
	frontMu.Lock()
	for _, k := range secondCalls {
		if xeroWrite(k) {
			t.Errorf("the refused second process wrote to Xero: %s", k)
		}
	}
	secondCallCount := len(secondCalls)
	frontMu.Unlock()
	for sc.Scan() {
		firstOut.WriteString(sc.Text() + "\n")
	}
	if err := first.Wait(); err != nil {
		t.Fatalf("first process: %v\n%s", err, firstOut.String())
	}
	s.ClearFaults()
	p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if runs, err := p.History.Runs(context.Background(), 10); err != nil || len(runs) != 1 {
		t.Errorf("the history holds %d runs (%v); the refused one must not be recorded", len(runs), err)
	}
	seen := map[string]int{}
	for _, inv := range s.Invoices(xerotest.DefaultTenantID) {
		seen[inv.InvoiceNumber]++
	}
	for i := range 200 {
		if n := seen["OC-"+strconv.Itoa(9001+i)]; n != 1 {
			t.Errorf("order %d is in Xero %d times", 9001+i, n)
		}
	}
	t.Logf("second process refused in %s with exit %d after %d Xero calls: %s", took.Round(time.Millisecond), code, secondCallCount, strings.TrimSpace(string(out)))
}

// TestProfileFilesArePrivate checks what a profile writes (the history
// holds customer names, e-mail addresses and amounts; the secrets file the
// shop's password): the profile directory is its owner's only, whether the
// program made it or --profile pointed at one that already existed (0755
// is tightened to 0700), and so is every file in it.
func TestProfileFilesArePrivate(t *testing.T) {
	for _, existing := range []bool{false, true} {
		t.Run("existing directory "+strconv.FormatBool(existing), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "profile")
			if existing {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			p, err := OpenProfile(context.Background(), dir, nil, WithSecrets(SecretsFile))
			if err != nil {
				t.Fatal(err)
			}
			if err := p.Settings.Set(context.Background(), "store.dsn", "shop:s3cret-pass@tcp(127.0.0.1:3306)/shop"); err != nil {
				t.Fatal(err)
			}
			p.Close()
			files := 0
			err = filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
				if err != nil {
					return err
				}
				info, err := d.Info()
				if err != nil {
					return err
				}
				files++
				if info.Mode().Perm()&0o077 != 0 {
					t.Errorf("%s is %v: others may read it", path, info.Mode().Perm())
				}
				return nil
			})
			if err != nil || files < 3 {
				t.Fatalf("walked %d files: %v", files, err)
			}
		})
	}
}
