package reach

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

// SSH is the tunnel to the shop's server. The MySQL connection goes
// through it, so the DSN's host is resolved on that server's side.
type SSH struct {
	// Server is user@host[:port] (port 22 when left out); "" = direct.
	Server string
	// KeyFile is a private key file (OpenSSH, PEM or PKCS#8).
	KeyFile string
	// Passphrase unlocks KeyFile when it is protected.
	Passphrase string
	// Password is the SSH account's password, when it has one.
	Password string
	// HostKey is the pinned SHA256 fingerprint of the server's host key;
	// "" = not pinned yet.
	HostKey string
	// NewHostKey is called on the first connection, when no host key is
	// pinned, with the fingerprint the server showed: it pins it (or
	// returns an error to refuse). Nil refuses any unpinned server.
	NewHostKey func(fingerprint string) error
	// KeepAlive is how often the tunnel asks the server whether it is
	// still there; 0 = every 15 seconds.
	KeepAlive time.Duration
}

// Hop names one leg of the way to the database.
type Hop string

// The hops a connection goes through.
const (
	HopSSH   Hop = "SSH server"
	HopMySQL Hop = "MySQL server"
)

// HopError says which hop failed and why, in plain words.
type HopError struct {
	Hop    Hop
	Server string
	// Reason is what went wrong, e.g. "cannot be reached".
	Reason string
	Err    error
}

func (e *HopError) Error() string {
	s := fmt.Sprintf("the %s %s %s", e.Hop, e.Server, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *HopError) Unwrap() error { return e.Err }

// The reasons an SSH connection fails, for errors.Is.
var (
	ErrSSHUnreachable   = errors.New("cannot be reached")
	ErrSSHKeyRefused    = errors.New("refused the login")
	ErrHostKeyChanged   = errors.New("host key changed")
	ErrHostKeyNotPinned = errors.New("host key not pinned")
	ErrPassphrase       = errors.New("key passphrase needed or wrong")
)

// HostKeyChangedError is the refusal of a server whose host key is not
// the pinned one: someone may be in the middle, or the server was
// reinstalled.
type HostKeyChangedError struct {
	Server       string
	Pinned, Seen string
}

func (e *HostKeyChangedError) Error() string {
	return fmt.Sprintf("WARNING: the SSH server %s now shows the host key %s, but %s was pinned. "+
		"Someone may be intercepting the connection, or the server was reinstalled. Nothing was sent. "+
		"Ask the hosting company which key is right; only if they confirm %s, clear the pinned key "+
		"(opencart-xero config set store.ssh_host_key '') and connect again",
		e.Server, e.Seen, e.Pinned, e.Seen)
}

// Is makes errors.Is(err, ErrHostKeyChanged) true.
func (e *HostKeyChangedError) Is(target error) bool { return target == ErrHostKeyChanged }

// ParseServer splits user@host[:port] into the user and host:port.
func ParseServer(s string) (user, addr string, err error) {
	user, hostPort, ok := strings.Cut(strings.TrimSpace(s), "@")
	if !ok || user == "" || hostPort == "" {
		return "", "", fmt.Errorf("the SSH server %q is not user@host or user@host:port", s)
	}
	host, port, err := net.SplitHostPort(hostPort)
	if err != nil {
		host, port = strings.Trim(hostPort, "[]"), "22"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return "", "", fmt.Errorf("the SSH port %q is not a number from 1 to 65535", port)
	}
	if host == "" || strings.ContainsAny(host, " /@") {
		return "", "", fmt.Errorf("the SSH host %q is not a host name or address", host)
	}
	return user, net.JoinHostPort(host, port), nil
}

// CheckHostKey says why a pinned host key fingerprint is not one.
func CheckHostKey(fp string) error {
	if !strings.HasPrefix(fp, "SHA256:") || len(fp) != len("SHA256:")+43 {
		return errors.New("a host key fingerprint looks like SHA256: followed by 43 letters, digits, + and /")
	}
	return nil
}

// Tunnel is an SSH connection that carries MySQL connections. A dropped
// connection is reopened on the next dial, so the database pool redials.
type Tunnel struct {
	cfg    SSH
	user   string
	server string // host:port

	mu     sync.Mutex
	client *ssh.Client
	seen   string
	closed bool
}

// NewTunnel checks the settings; Connect or DialContext opens it.
func NewTunnel(s SSH) (*Tunnel, error) {
	user, addr, err := ParseServer(s.Server)
	if err != nil {
		return nil, err
	}
	if s.HostKey != "" {
		if err := CheckHostKey(s.HostKey); err != nil {
			return nil, fmt.Errorf("store.ssh_host_key: %w", err)
		}
	}
	if s.KeepAlive == 0 {
		s.KeepAlive = 15 * time.Second
	}
	return &Tunnel{cfg: s, user: user, server: addr}, nil
}

// HostKey is the fingerprint of the server's host key, once connected.
func (t *Tunnel) HostKey() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.seen
}

// Connect opens the SSH connection unless it is open.
func (t *Tunnel) Connect(ctx context.Context) error {
	_, err := t.connect(ctx)
	return err
}

// DialContext opens a connection to addr as seen from the SSH server,
// reopening the SSH connection first when it dropped.
func (t *Tunnel) DialContext(ctx context.Context, _, addr string) (net.Conn, error) {
	c, err := t.connect(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := c.DialContext(ctx, "tcp", addr)
	if err == nil {
		return conn, nil
	}
	if ctx.Err() != nil {
		return nil, err
	}
	// The SSH connection may have died without us noticing yet: drop it
	// and try once on a fresh one.
	t.drop(c)
	if c, err = t.connect(ctx); err != nil {
		return nil, err
	}
	if conn, err = c.DialContext(ctx, "tcp", addr); err != nil {
		return nil, &HopError{Hop: HopSSH, Server: t.server, Reason: "could not open a connection to " + addr, Err: err}
	}
	return conn, nil
}

// Close closes the SSH connection; later dials fail.
func (t *Tunnel) Close() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	if t.client == nil {
		return nil
	}
	err := t.client.Close()
	t.client = nil
	return err
}

// drop forgets c if it is still the current connection, and closes it.
func (t *Tunnel) drop(c *ssh.Client) {
	t.mu.Lock()
	if t.client == c {
		t.client = nil
	}
	t.mu.Unlock()
	c.Close()
}

func (t *Tunnel) connect(ctx context.Context) (*ssh.Client, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, errors.New("the SSH tunnel is closed")
	}
	if t.client != nil {
		return t.client, nil
	}
	c, err := t.dial(ctx)
	if err != nil {
		return nil, err
	}
	t.client = c
	go t.watch(c)
	return c, nil
}

// watch sends keep-alives and forgets the connection when it ends, so the
// next dial opens a new one.
func (t *Tunnel) watch(c *ssh.Client) {
	done := make(chan struct{})
	go func() {
		c.Wait()
		close(done)
	}()
	tick := time.NewTicker(t.cfg.KeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-done:
			t.drop(c)
			return
		case <-tick.C:
			answered := make(chan error, 1)
			go func() {
				_, _, err := c.SendRequest("keepalive@openssh.com", true, nil)
				answered <- err
			}()
			select {
			case err := <-answered:
				if err != nil {
					t.drop(c)
					return
				}
			case <-time.After(2 * t.cfg.KeepAlive):
				t.drop(c) // no answer: the link is dead
				return
			case <-done:
				t.drop(c)
				return
			}
		}
	}
}

// dial opens and authenticates one SSH connection.
func (t *Tunnel) dial(ctx context.Context) (*ssh.Client, error) {
	auth, closeAgent, err := t.auth()
	if err != nil {
		return nil, err
	}
	defer closeAgent()
	var seen string
	cfg := &ssh.ClientConfig{
		User: t.user,
		Auth: auth,
		HostKeyCallback: func(_ string, _ net.Addr, key ssh.PublicKey) error {
			seen = ssh.FingerprintSHA256(key)
			switch {
			case t.cfg.HostKey == "":
				if t.cfg.NewHostKey == nil {
					return fmt.Errorf("%w: the SSH server shows the host key %s; check it with the hosting company and pin it (opencart-xero config set store.ssh_host_key %s)", ErrHostKeyNotPinned, seen, seen)
				}
				return t.cfg.NewHostKey(seen)
			case seen != t.cfg.HostKey:
				return &HostKeyChangedError{Server: t.server, Pinned: t.cfg.HostKey, Seen: seen}
			}
			return nil
		},
		Timeout: 15 * time.Second,
	}
	d := net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	raw, err := d.DialContext(ctx, "tcp", t.server)
	if err != nil {
		return nil, &HopError{Hop: HopSSH, Server: t.server, Reason: "cannot be reached", Err: errors.Join(ErrSSHUnreachable, err)}
	}
	// The handshake has no context: closing the socket ends it.
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()
	raw.SetDeadline(time.Now().Add(cfg.Timeout))
	conn, chans, reqs, err := ssh.NewClientConn(raw, t.server, cfg)
	raw.SetDeadline(time.Time{})
	if err != nil {
		raw.Close()
		return nil, t.handshakeError(err)
	}
	if t.cfg.HostKey == "" {
		t.cfg.HostKey = seen // pinned by NewHostKey; later dials check it
	}
	t.seen = seen
	return ssh.NewClient(conn, chans, reqs), nil
}

func (t *Tunnel) handshakeError(err error) error {
	var changed *HostKeyChangedError
	switch {
	case errors.As(err, &changed):
		return &HopError{Hop: HopSSH, Server: t.server, Reason: "refused: its host key changed", Err: changed}
	case errors.Is(err, ErrHostKeyNotPinned):
		return &HopError{Hop: HopSSH, Server: t.server, Reason: "is not trusted yet", Err: err}
	case strings.Contains(err.Error(), "unable to authenticate"):
		return &HopError{Hop: HopSSH, Server: t.server, Reason: "refused the login of " + t.user + " (" + t.methods() + ")", Err: errors.Join(ErrSSHKeyRefused, err)}
	}
	return &HopError{Hop: HopSSH, Server: t.server, Reason: "did not complete the SSH handshake", Err: err}
}

// methods names the login methods tried, for a refusal.
func (t *Tunnel) methods() string {
	var m []string
	if t.cfg.KeyFile != "" {
		m = append(m, "key "+t.cfg.KeyFile)
	}
	if t.cfg.Password != "" {
		m = append(m, "password")
	}
	if os.Getenv("SSH_AUTH_SOCK") != "" {
		m = append(m, "SSH agent")
	}
	if len(m) == 0 {
		return "no key, password or SSH agent was given"
	}
	return "tried " + strings.Join(m, ", ")
}

// auth lists the login methods: the key file, the password, the agent.
func (t *Tunnel) auth() ([]ssh.AuthMethod, func(), error) {
	var methods []ssh.AuthMethod
	closeAgent := func() {}
	if t.cfg.KeyFile != "" {
		signer, err := LoadKey(t.cfg.KeyFile, t.cfg.Passphrase)
		if err != nil {
			return nil, nil, &HopError{Hop: HopSSH, Server: t.server, Reason: "cannot be logged in to", Err: err}
		}
		methods = append(methods, ssh.PublicKeys(signer))
	}
	if t.cfg.Password != "" {
		pw := t.cfg.Password
		methods = append(methods, ssh.Password(pw), ssh.KeyboardInteractive(func(_, _ string, qs []string, _ []bool) ([]string, error) {
			answers := make([]string, len(qs))
			for i := range qs {
				answers[i] = pw
			}
			return answers, nil
		}))
	}
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" {
		if conn, err := net.Dial("unix", sock); err == nil {
			methods = append(methods, ssh.PublicKeysCallback(agent.NewClient(conn).Signers))
			closeAgent = func() { conn.Close() }
		}
	}
	return methods, closeAgent, nil
}

// LoadKey reads a private key file, unlocking it with passphrase.
func LoadKey(path, passphrase string) (ssh.Signer, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("the SSH key file cannot be read: %w", err)
	}
	var signer ssh.Signer
	if passphrase == "" {
		signer, err = ssh.ParsePrivateKey(pem)
	} else {
		signer, err = ssh.ParsePrivateKeyWithPassphrase(pem, []byte(passphrase))
	}
	var missing *ssh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		return nil, fmt.Errorf("%w: the SSH key %s is protected by a passphrase; save it with: opencart-xero config set store.ssh_key_passphrase -", ErrPassphrase, path)
	case errors.Is(err, x509.IncorrectPasswordError) || err != nil && strings.Contains(err.Error(), "decryption password incorrect"):
		return nil, fmt.Errorf("%w: the passphrase of the SSH key %s is wrong", ErrPassphrase, path)
	case err != nil:
		return nil, fmt.Errorf("the SSH key %s cannot be read: %w", path, err)
	}
	return signer, nil
}
