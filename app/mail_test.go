package app

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"math/big"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/octest"
	"github.com/opencart-xero/opencart-xero/sync/xero/xerotest"
)

// mailServer is a small SMTP server for the tests (RFC 5321 with
// STARTTLS, RFC 3207, and AUTH PLAIN, RFC 4616), keeping what it got.
type mailServer struct {
	addr     string
	roots    *x509.CertPool
	starttls bool // offer STARTTLS
	user     string
	password string

	mu        sync.Mutex
	messages  []string // DATA, as received
	rcpts     []string
	authedTLS []bool // for each AUTH: was the connection encrypted
}

func newMailServer(t *testing.T, starttls bool) *mailServer {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	tlsConf := &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &mailServer{addr: ln.Addr().String(), roots: roots, starttls: starttls, user: "anne", password: "s3cret"}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c, tlsConf)
		}
	}()
	return s
}

func (s *mailServer) serve(conn net.Conn, tlsConf *tls.Config) {
	defer func() { conn.Close() }()
	r, w := bufio.NewReader(conn), conn
	say := func(line string) { w.Write([]byte(line + "\r\n")) }
	encrypted := false
	say("220 mail.test ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch verb {
		case "EHLO", "HELO":
			if s.starttls && !encrypted {
				say("250-mail.test")
				say("250 STARTTLS")
			} else {
				say("250-mail.test")
				say("250 AUTH PLAIN")
			}
		case "STARTTLS":
			say("220 go ahead")
			tc := tls.Server(conn, tlsConf)
			if err := tc.Handshake(); err != nil {
				return
			}
			conn, encrypted = tc, true
			r, w = bufio.NewReader(tc), tc
		case "AUTH":
			parts := strings.Fields(line)
			raw, _ := base64.StdEncoding.DecodeString(parts[len(parts)-1])
			s.mu.Lock()
			s.authedTLS = append(s.authedTLS, encrypted)
			s.mu.Unlock()
			if string(raw) == "\x00"+s.user+"\x00"+s.password {
				say("235 ok")
			} else {
				say("535 no")
			}
		case "MAIL":
			say("250 ok")
		case "RCPT":
			s.mu.Lock()
			s.rcpts = append(s.rcpts, line)
			s.mu.Unlock()
			say("250 ok")
		case "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			s.mu.Lock()
			s.messages = append(s.messages, b.String())
			s.mu.Unlock()
			say("250 queued")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 what")
		}
	}
}

func (s *mailServer) got() ([]string, []bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.messages...), append([]bool(nil), s.authedTLS...)
}

// TestScheduledRunMailsItsSummary: a scheduled export with a failed
// record mails its summary through the user's server (STARTTLS, then the
// password), naming the record and why; a clean one mails nothing unless
// smtp.when is always; a server without encryption never gets the password.
func TestScheduledRunMailsItsSummary(t *testing.T) {
	sb := xerotest.NewTest(t, xerotest.Options{AutoApprove: true, TimeScale: 0.001})
	db := octest.NewDB(t, opencart.Family40, "oc_")
	edge := db.SeedEdgeCases()
	simpleOrders(db, 6101, 2)
	dir := connectedProfile(t, sb, db)
	srv := newMailServer(t, true)
	host, port, _ := net.SplitHostPort(srv.addr)
	for _, kv := range [][2]string{{"invoice.status", "AUTHORISED"}, {"smtp.host", host}, {"smtp.port", port}, {"smtp.user", "anne"},
		{"smtp.password", "s3cret"}, {"smtp.from", "Shop <shop@example.com>"}, {"smtp.to", "anne@example.com, books@example.com"}} {
		if code, out, errOut := run(t, dir, "config", "set", kv[0], kv[1]); code != 0 {
			t.Fatal(out, errOut)
		}
	}
	if code, out, errOut := run(t, dir, "config", "propose"); code != 0 {
		t.Fatal(out, errOut)
	}
	export := func(args ...string) (int, string) {
		var out, errOut bytes.Buffer
		env := &Env{Stdout: &out, Stderr: &errOut, Secrets: SecretsFile, mailRoots: srv.roots}
		code := runMain(env, append([]string{"--profile", dir, "export"}, args...))
		return code, errOut.String()
	}

	code, errOut := export("orders", "--id", strconv.Itoa(edge.UnknownCurrency), "--scheduled", "--quiet")
	msgs, authTLS := srv.got()
	if code != ExitFailed || len(msgs) != 1 {
		t.Fatalf("a scheduled run with a failed record: exit %d, %d mails\n%s", code, len(msgs), errOut)
	}
	for _, want := range []string{"Subject: opencart-xero: export run 1: 0 exported, 1 failed - needs attention", "To: <anne@example.com>, <books@example.com>",
		"1 record failed", "order " + strconv.Itoa(edge.UnknownCurrency) + ": "} {
		if !strings.Contains(msgs[0], want) {
			t.Errorf("the mail lacks %q:\n%s", want, msgs[0])
		}
	}
	if len(authTLS) != 1 || !authTLS[0] {
		t.Errorf("the password was sent on connections encrypted: %v", authTLS)
	}

	if code, errOut := export("orders", "--id", "6101", "--scheduled", "--quiet"); code != ExitOK {
		t.Fatalf("clean run: exit %d %s", code, errOut)
	}
	if n, _ := srv.got(); len(n) != 1 {
		t.Fatalf("a clean run mailed (smtp.when problems): %d mails", len(n))
	}
	run(t, dir, "config", "set", "smtp.when", "always")
	if code, errOut := export("orders", "--id", "6102", "--scheduled", "--quiet"); code != ExitOK {
		t.Fatalf("clean run: exit %d %s", code, errOut)
	}
	if n, _ := srv.got(); len(n) != 2 || !strings.Contains(n[1], " exported, 0 failed\r\n") {
		t.Fatalf("smtp.when always: %d mails:\n%s", len(n), n[len(n)-1])
	}
	if code, _ := export("orders", "--id", "6102"); code != ExitOK {
		t.Fatal("a command-line run")
	}
	if n, _ := srv.got(); len(n) != 2 {
		t.Fatalf("a run not scheduled mailed: %d mails", len(n))
	}

	plain := newMailServer(t, false)
	_, plainPort, _ := net.SplitHostPort(plain.addr)
	run(t, dir, "config", "set", "smtp.port", plainPort)
	code, errOut = export("orders", "--id", "6102", "--scheduled", "--quiet")
	if _, auths := plain.got(); code != ExitOK || len(auths) != 0 || !strings.Contains(errOut, "offers no encryption") {
		t.Fatalf("a server without STARTTLS: exit %d, %d sign-ins\n%s", code, len(auths), errOut)
	}
}
