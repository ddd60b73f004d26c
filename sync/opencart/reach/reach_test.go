package reach_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/opencart-xero/opencart-xero/sync/opencart"
	"github.com/opencart-xero/opencart-xero/sync/opencart/reach"
)

func TestParseDSNRefuses(t *testing.T) {
	cases := []struct {
		dsn    string
		refuse string // "" = accepted
	}{
		{"u:p@tcp(db.example.com:3306)/shop", ""},
		{"u:p@tcp(db.example.com:3306)/shop?timeout=5s&charset=utf8mb4", ""},
		{"u:p@tcp(db.example.com:3306)/shop?allowAllFiles=true", "allowAllFiles"},
		{"u:p@tcp(db.example.com:3306)/shop?timeout=5s&ALLOWALLFILES=1", "ALLOWALLFILES"},
		{"u:p@tcp(db.example.com:3306)/shop?allowAllFiles=false", "allowAllFiles"},
		{"u:p@tcp(db.example.com:3306)/shop?allowCleartextPasswords=true", "allowCleartextPasswords"},
		{"u:p@tcp(db.example.com:3306)/shop?allowOldPasswords=1", "allowOldPasswords"},
		{"u:p@tcp(db.example.com:3306)/shop?allowFallbackToPlaintext=true", "allowFallbackToPlaintext"},
		{"u:p@tcp(db.example.com:3306)/shop?tls=skip-verify", "store.tls"},
		{"u:p@tcp(db.example.com:3306)/shop?tls=preferred", "store.tls"},
		{"u:p@tcp(db.example.com:3306)/shop?tls=true", "store.tls"},
		// A "?" in the password is not where parameters start.
		{"u:p?allowAllFiles=true@tcp(db.example.com:3306)/shop", ""},
		{"u:p@tcp(db.example.com:3306)/", "names no database"},
	}
	for _, c := range cases {
		t.Run(c.dsn, func(t *testing.T) {
			cfg, err := reach.ParseDSN(c.dsn)
			if c.refuse == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if cfg.AllowAllFiles || cfg.AllowCleartextPasswords || cfg.AllowOldPasswords || cfg.TLS != nil {
					t.Errorf("unsafe options left on: %+v", cfg)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.refuse) {
				t.Fatalf("ParseDSN = %v, want refused naming %q", err, c.refuse)
			}
		})
	}
}

func TestEffectiveTLS(t *testing.T) {
	cases := []struct {
		mode reach.TLSMode
		host string
		ssh  bool
		want reach.TLSMode
	}{
		{"", "db.example.com", false, reach.TLSVerify},
		{reach.TLSAuto, "203.0.113.5", false, reach.TLSVerify},
		{reach.TLSAuto, "127.0.0.1", false, reach.TLSOff},
		{reach.TLSAuto, "::1", false, reach.TLSOff},
		{reach.TLSAuto, "localhost", false, reach.TLSOff},
		{reach.TLSAuto, "db.example.com", true, reach.TLSOff},
		{reach.TLSRequired, "127.0.0.1", true, reach.TLSRequired},
		{reach.TLSOff, "db.example.com", false, reach.TLSOff},
	}
	for _, c := range cases {
		r := reach.Route{TLS: c.mode}
		if c.ssh {
			r.SSH.Server = "u@h"
		}
		if got := r.Effective(c.host); got != c.want {
			t.Errorf("Effective(%q, %q, ssh %v) = %q, want %q", c.mode, c.host, c.ssh, got, c.want)
		}
	}
}

// TestUnencryptedWarning: a direct connection over the internet without
// TLS is said out loud; the same through SSH or to this computer is not.
func TestUnencryptedWarning(t *testing.T) {
	cases := []struct {
		route reach.Route
		warn  bool
		via   string
	}{
		{reach.Route{DSN: "u:p@tcp(db.example.com:3306)/shop", TLS: reach.TLSOff}, true, "directly, no TLS"},
		{reach.Route{DSN: "u:p@tcp(db.example.com:3306)/shop", TLS: reach.TLSPreferred}, true, "directly, TLS when offered"},
		{reach.Route{DSN: "u:p@tcp(db.example.com:3306)/shop"}, false, "directly, TLS verified"},
		{reach.Route{DSN: "u:p@tcp(127.0.0.1:3306)/shop", TLS: reach.TLSOff}, false, "directly, no TLS"},
	}
	for _, c := range cases {
		l, err := c.route.Open(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got := len(l.Warnings) > 0; got != c.warn || l.Via != c.via {
			t.Errorf("%+v: via %q, warnings %q; want %q, warning %v", c.route, l.Via, l.Warnings, c.via, c.warn)
		}
		if c.route.TLS == "" && (l.Config.TLS == nil || l.Config.TLS.InsecureSkipVerify || l.Config.TLS.ServerName != "db.example.com") {
			t.Errorf("verify mode: TLS config %+v does not check db.example.com", l.Config.TLS)
		}
	}
}

// fakeMySQL is a MySQL server that answers every query by asking the
// client for a local file (LOAD DATA LOCAL INFILE), as a hostile server
// would, and records what the client sends back.
type fakeMySQL struct {
	addr string
	path string // the file it asks for

	mu       sync.Mutex
	conns    int
	received [][]byte // every packet sent after a file request
}

func startFakeMySQL(t *testing.T, path string) *fakeMySQL {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	f := &fakeMySQL{addr: l.Addr().String(), path: path}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			f.mu.Lock()
			f.conns++
			f.mu.Unlock()
			go f.serve(c)
		}
	}()
	return f
}

func writePacket(w io.Writer, seq byte, payload []byte) error {
	h := []byte{byte(len(payload)), byte(len(payload) >> 8), byte(len(payload) >> 16), seq}
	_, err := w.Write(append(h, payload...))
	return err
}

func readPacket(r io.Reader) (seq byte, payload []byte, err error) {
	var h [4]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return 0, nil, err
	}
	n := int(h[0]) | int(h[1])<<8 | int(h[2])<<16
	payload = make([]byte, n)
	_, err = io.ReadFull(r, payload)
	return h[3], payload, err
}

func (f *fakeMySQL) serve(c net.Conn) {
	defer c.Close()
	const (
		longPassword = 1 << 0
		localFiles   = 1 << 7
		protocol41   = 1 << 9
		transactions = 1 << 13
		secureConn   = 1 << 15
		pluginAuth   = 1 << 19
	)
	caps := uint32(longPassword | localFiles | protocol41 | transactions | secureConn | pluginAuth)
	var hs bytes.Buffer
	hs.WriteByte(10)
	hs.WriteString("5.7.99-hostile\x00")
	binary.Write(&hs, binary.LittleEndian, uint32(1))
	hs.WriteString("abcdefgh\x00")
	binary.Write(&hs, binary.LittleEndian, uint16(caps))
	hs.WriteByte(0x21)
	binary.Write(&hs, binary.LittleEndian, uint16(2))
	binary.Write(&hs, binary.LittleEndian, uint16(caps>>16))
	hs.WriteByte(21)
	hs.Write(make([]byte, 10))
	hs.WriteString("ijklmnopqrst\x00")
	hs.WriteString("mysql_native_password\x00")
	if writePacket(c, 0, hs.Bytes()) != nil {
		return
	}
	seq, _, err := readPacket(c) // the login: anything goes
	if err != nil {
		return
	}
	ok := []byte{0, 0, 0, 2, 0, 0, 0}
	if writePacket(c, seq+1, ok) != nil {
		return
	}
	for {
		seq, p, err := readPacket(c)
		if err != nil || len(p) == 0 || p[0] == 1 { // COM_QUIT
			return
		}
		if p[0] != 3 { // not COM_QUERY (e.g. COM_PING)
			writePacket(c, seq+1, ok)
			continue
		}
		if writePacket(c, seq+1, append([]byte{0xFB}, f.path...)) != nil {
			return
		}
		// The client answers with the file's packets and an empty one.
		for {
			s, p, err := readPacket(c)
			if err != nil {
				return
			}
			f.mu.Lock()
			f.received = append(f.received, p)
			f.mu.Unlock()
			seq = s
			if len(p) == 0 {
				break
			}
		}
		errPacket := append([]byte{0xFF, 0x7c, 0x04, '#'}, "42000no file, no shop"...)
		if writePacket(c, seq+1, errPacket) != nil {
			return
		}
	}
}

// TestLocalFileNeverSent points the reader at a server that asks for a
// local file holding a secret: nothing of it may leave this computer,
// whatever the DSN says.
func TestLocalFileNeverSent(t *testing.T) {
	secret := filepath.Join(t.TempDir(), "secrets.json")
	if err := os.WriteFile(secret, []byte(`{"store.password":"hunter2"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []string{"", "?allowAllFiles=true", "?timeout=5s&allowAllFiles=1"} {
		t.Run("dsn"+opts, func(t *testing.T) {
			srv := startFakeMySQL(t, secret)
			_, err := opencart.Open(context.Background(), "root:pw@tcp("+srv.addr+")/shop"+opts, "oc_")
			if err == nil {
				t.Fatal("Open succeeded against a server asking for local files")
			}
			srv.mu.Lock()
			defer srv.mu.Unlock()
			for _, p := range srv.received {
				if len(p) != 0 {
					t.Fatalf("the client sent %q after the server asked for %s", p, secret)
				}
			}
			if opts == "" {
				if len(srv.received) == 0 {
					t.Fatalf("the server never asked for the file (%v): the test proves nothing", err)
				}
				return
			}
			if srv.conns != 0 || !errors.Is(err, reach.ErrUnsafeDSN) || !strings.Contains(err.Error(), "allowAllFiles") {
				t.Fatalf("DSN with allowAllFiles: %v after %d connections, want refused before connecting", err, srv.conns)
			}
		})
	}
}
