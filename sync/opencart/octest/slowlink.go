package octest

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
)

// SlowLink is a TCP proxy in front of the test server that delays every
// chunk of bytes by half a round trip in each direction, as a link across
// the internet does (it adds latency, not a bandwidth limit: chunks in
// flight overlap), and counts the bytes each way. Benchmarks open the
// reader on DSN and read the figures with BytesRead.
type SlowLink struct {
	// Addr is the proxy's host:port.
	Addr string
	// RTT is the round trip it adds.
	RTT time.Duration

	ln         net.Listener
	target     string
	down, up   atomic.Int64
	wg         sync.WaitGroup
	mu         sync.Mutex
	conns      []net.Conn
	closedOnce sync.Once
}

// NewSlowLink starts a proxy to the test server adding rtt to every round
// trip; it stops when the test ends.
func NewSlowLink(t testing.TB, rtt time.Duration) *SlowLink {
	t.Helper()
	cfg, err := mysql.ParseDSN(ServerDSN())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &SlowLink{Addr: ln.Addr().String(), RTT: rtt, ln: ln, target: cfg.Addr}
	l.wg.Add(1)
	go l.accept()
	t.Cleanup(l.Close)
	return l
}

// DSN is dsn (a test database's, e.g. DB.DSN) through the proxy.
func (l *SlowLink) DSN(dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return dsn
	}
	cfg.Net, cfg.Addr = "tcp", l.Addr
	return cfg.FormatDSN()
}

// BytesRead is how many bytes went from the server to the client.
func (l *SlowLink) BytesRead() int64 { return l.down.Load() }

// BytesSent is how many bytes went from the client to the server.
func (l *SlowLink) BytesSent() int64 { return l.up.Load() }

// Reset sets the byte counts back to zero.
func (l *SlowLink) Reset() { l.down.Store(0); l.up.Store(0) }

// Close stops the proxy and cuts its connections.
func (l *SlowLink) Close() {
	l.closedOnce.Do(func() {
		l.ln.Close()
		l.mu.Lock()
		for _, c := range l.conns {
			c.Close()
		}
		l.mu.Unlock()
		l.wg.Wait()
	})
}

func (l *SlowLink) accept() {
	defer l.wg.Done()
	for {
		client, err := l.ln.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", l.target)
		if err != nil {
			client.Close()
			continue
		}
		l.mu.Lock()
		l.conns = append(l.conns, client, server)
		l.mu.Unlock()
		l.wg.Add(2)
		go l.pump(server, client, &l.down)
		go l.pump(client, server, &l.up)
	}
}

// pump copies from src to dst, each chunk delivered half a round trip
// after it was read.
func (l *SlowLink) pump(dst, src net.Conn, count *atomic.Int64) {
	defer l.wg.Done()
	type chunk struct {
		at   time.Time
		data []byte
	}
	queue := make(chan chunk, 1024)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for c := range queue {
			time.Sleep(time.Until(c.at))
			if _, err := dst.Write(c.data); err != nil {
				for range queue {
				}
				return
			}
		}
	}()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			count.Add(int64(n))
			queue <- chunk{time.Now().Add(l.RTT / 2), append([]byte(nil), buf[:n]...)}
		}
		if err != nil {
			// EOF or a cut connection: deliver what is queued, then pass
			// the end on.
			close(queue)
			<-done
			if tc, ok := dst.(*net.TCPConn); ok {
				tc.CloseWrite()
			} else {
				dst.Close()
			}
			return
		}
	}
}
