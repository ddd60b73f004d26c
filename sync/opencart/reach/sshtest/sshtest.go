// Package sshtest runs a real OpenSSH server for tests: /usr/sbin/sshd on
// a free 127.0.0.1 port with throw-away host and client keys, in front of
// whatever that machine serves (the test MariaDB at 127.0.0.1:3306). When
// sshd or ssh-keygen is missing the test fails, saying how to install
// them (scripts/deps.sh test).
//
//	srv := sshtest.Start(t)
//	route := reach.Route{DSN: db.DSN, SSH: reach.SSH{Server: srv.Login(), KeyFile: srv.KeyFile, HostKey: srv.HostKey}}
package sshtest

import (
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Sshd is where the OpenSSH server is expected.
const Sshd = "/usr/sbin/sshd"

// Passphrase protects PassphraseKeyFile.
const Passphrase = "correct horse battery staple"

// PasswordUser is a throw-away local account the password tests log in
// as; it is created when absent and locked again when the test ends.
const PasswordUser = "ocxtest"

// Server is a running sshd.
type Server struct {
	// Addr is host:port of the server.
	Addr string
	// User is the account the key files log in as (root).
	User string
	// HostKey is the SHA256 fingerprint of the server's host key.
	HostKey string
	// KeyFile is a client key without passphrase.
	KeyFile string
	// PassphraseKeyFile is a client key protected by Passphrase.
	PassphraseKeyFile string

	t   testing.TB
	dir string

	mu  sync.Mutex
	cmd *exec.Cmd
	log *bytes.Buffer
}

// Login is user@host:port for the key files' account.
func (s *Server) Login() string { return s.User + "@" + s.Addr }

// Start runs sshd for the test and stops it when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	for _, bin := range []string{Sshd, "ssh-keygen"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Fatalf("%s is not installed (the SSH tunnel tests need a real OpenSSH server): run scripts/deps.sh test", bin)
		}
	}
	if err := os.MkdirAll("/run/sshd", 0o755); err != nil { // sshd's privilege separation directory
		t.Fatalf("sshd needs /run/sshd: %v", err)
	}
	s := &Server{User: "root", t: t, dir: t.TempDir()}
	s.KeyFile = s.keygen("id_plain", "")
	s.PassphraseKeyFile = s.keygen("id_locked", Passphrase)
	var auth []byte
	for _, k := range []string{s.KeyFile, s.PassphraseKeyFile} {
		pub, err := os.ReadFile(k + ".pub")
		if err != nil {
			t.Fatal(err)
		}
		auth = append(auth, pub...)
	}
	if err := os.WriteFile(filepath.Join(s.dir, "authorized_keys"), auth, 0o600); err != nil {
		t.Fatal(err)
	}
	s.NewHostKey()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = l.Addr().String()
	l.Close()
	s.writeConfig()
	s.Restart()
	t.Cleanup(s.Stop)
	return s
}

// keygen makes an ed25519 key pair in the server's directory.
func (s *Server) keygen(name, passphrase string) string {
	s.t.Helper()
	path := filepath.Join(s.dir, name)
	os.Remove(path)
	os.Remove(path + ".pub")
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "opencart-xero test", "-f", path).CombinedOutput()
	if err != nil {
		s.t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	return path
}

// NewHostKey gives the server a new host key (a reinstalled server, or
// someone in the middle); it takes effect on the next Restart.
func (s *Server) NewHostKey() {
	s.t.Helper()
	key := s.keygen("host_ed25519", "")
	out, err := exec.Command("ssh-keygen", "-l", "-E", "sha256", "-f", key+".pub").Output()
	if err != nil {
		s.t.Fatalf("ssh-keygen -l: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) < 2 || !strings.HasPrefix(f[1], "SHA256:") {
		s.t.Fatalf("ssh-keygen -l printed %q", out)
	}
	s.HostKey = f[1]
}

func (s *Server) writeConfig() {
	_, port, _ := net.SplitHostPort(s.Addr)
	conf := strings.Join([]string{
		"Port " + port,
		"ListenAddress 127.0.0.1",
		"HostKey " + filepath.Join(s.dir, "host_ed25519"),
		"PidFile " + filepath.Join(s.dir, "sshd.pid"),
		"AuthorizedKeysFile " + filepath.Join(s.dir, "authorized_keys"),
		"StrictModes no",
		"UsePAM no",
		"PermitRootLogin yes",
		"PubkeyAuthentication yes",
		"PasswordAuthentication yes",
		"KbdInteractiveAuthentication no",
		"AllowTcpForwarding yes",
		"AllowUsers root " + PasswordUser,
		"Subsystem sftp internal-sftp",
		"LogLevel VERBOSE",
		"",
	}, "\n")
	if err := os.WriteFile(filepath.Join(s.dir, "sshd_config"), []byte(conf), 0o600); err != nil {
		s.t.Fatal(err)
	}
}

// Restart starts sshd (again, on the same port), waiting until it listens.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = &bytes.Buffer{}
	cmd := exec.Command(Sshd, "-D", "-e", "-f", filepath.Join(s.dir, "sshd_config"))
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("starting sshd: %v", err)
	}
	s.cmd = cmd
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.DialTimeout("tcp", s.Addr, time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("sshd does not listen on %s: %v\n%s", s.Addr, err, s.log)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Stop kills sshd and every connection it serves (its child processes),
// as a crash or a dropped link would.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	pid := s.cmd.Process.Pid
	for _, child := range descendants(pid) {
		syscall.Kill(child, syscall.SIGKILL)
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
	s.cmd = nil
}

// Log is what sshd printed, for a failing test's message.
func (s *Server) Log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.log == nil {
		return ""
	}
	return s.log.String()
}

// descendants lists the processes started by pid, and theirs, by id.
func descendants(pid int) []int {
	entries, _ := os.ReadDir("/proc")
	parent := map[int]int{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so cut at ')'.
		i := bytes.LastIndexByte(stat, ')')
		f := strings.Fields(string(stat[i+1:]))
		if len(f) > 1 {
			parent[p], _ = strconv.Atoi(f[1])
		}
	}
	var out []int
	frontier := []int{pid}
	for len(frontier) > 0 {
		p := frontier[0]
		frontier = frontier[1:]
		for c, pp := range parent {
			if pp == p {
				out = append(out, c)
				frontier = append(frontier, c)
			}
		}
	}
	return out
}

// PasswordLogin makes the throw-away account PasswordUser (when absent),
// gives it a fresh random password and returns user@host:port and the
// password; the account is locked again when the test ends. No other
// account's password is touched.
func (s *Server) PasswordLogin() (login, password string) {
	s.t.Helper()
	if _, err := exec.Command("id", "-u", PasswordUser).Output(); err != nil {
		if out, err := exec.Command("useradd", "--no-create-home", "--shell", "/bin/sh", PasswordUser).CombinedOutput(); err != nil {
			s.t.Fatalf("useradd %s: %v\n%s", PasswordUser, err, out)
		}
	}
	password = fmt.Sprintf("pw-%d-%d", os.Getpid(), time.Now().UnixNano())
	chpasswd := exec.Command("chpasswd")
	chpasswd.Stdin = strings.NewReader(PasswordUser + ":" + password + "\n")
	if out, err := chpasswd.CombinedOutput(); err != nil {
		s.t.Fatalf("chpasswd %s: %v\n%s", PasswordUser, err, out)
	}
	s.t.Cleanup(func() { exec.Command("passwd", "-l", PasswordUser).Run() })
	return PasswordUser + "@" + s.Addr, password
}
