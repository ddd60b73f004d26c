package app

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/mail"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"github.com/opencart-xero/opencart-xero/sync/export"
	"github.com/opencart-xero/opencart-xero/sync/history"
	"github.com/opencart-xero/opencart-xero/sync/safetext"
)

func checkMailPort(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return errors.New("must be a port number, usually 587 or 465")
	}
	return nil
}

func checkMailAddresses(v string) error {
	if _, err := mail.ParseAddressList(v); err != nil {
		return fmt.Errorf("not e-mail addresses: %v", err)
	}
	return nil
}

// mailSettings are the smtp.* settings.
type mailSettings struct {
	host, port, user, password, from, to, when string
}

func loadMailSettings(ctx context.Context, p *Profile) (mailSettings, error) {
	var m mailSettings
	for _, f := range []struct {
		name string
		v    *string
	}{{"smtp.host", &m.host}, {"smtp.port", &m.port}, {"smtp.user", &m.user}, {"smtp.password", &m.password},
		{"smtp.from", &m.from}, {"smtp.to", &m.to}, {"smtp.when", &m.when}} {
		v, err := p.Settings.Get(ctx, f.name)
		if err != nil {
			return m, err
		}
		*f.v = strings.TrimSpace(v)
	}
	return m, nil
}

// mailRunSummary sends the summary of a finished scheduled run when the
// smtp.* settings ask for it: smtp.when problems (the default) mails a run
// the bookkeeper must hear of (export.Concerns), always every run. roots
// are the certificate authorities trusted (nil = the system's).
func mailRunSummary(ctx context.Context, p *Profile, sum export.Summary, runErr error, roots *x509.CertPool) error {
	m, err := loadMailSettings(ctx, p)
	if err != nil || m.host == "" {
		return err
	}
	concerns := export.Concerns(sum, runErr, -1)
	if m.when != "always" && len(concerns) == 0 {
		return nil
	}
	if m.from == "" || m.to == "" {
		return errors.New("e-mail: set smtp.from and smtp.to, or clear smtp.host")
	}
	from, err := mail.ParseAddress(m.from)
	if err != nil {
		return fmt.Errorf("e-mail: smtp.from: %w", err)
	}
	to, err := mail.ParseAddressList(m.to)
	if err != nil {
		return fmt.Errorf("e-mail: smtp.to: %w", err)
	}
	var failed []history.Record
	if sum.RunID > 0 && sum.Failed > 0 {
		failed, _ = p.History.Records(ctx, history.RecordFilter{RunID: sum.RunID, States: []string{history.StateFailed}, Limit: 100})
	}
	msg := summaryMail(from, to, p.Dir, sum, runErr, concerns, failed, time.Now())
	return sendMail(ctx, m, from.Address, to, msg, roots)
}

// summaryMail is the message: headers we write ourselves (no shop text in
// them), a plain-text body.
func summaryMail(from *mail.Address, to []*mail.Address, profile string, sum export.Summary, runErr error, concerns []export.Concern, failed []history.Record, now time.Time) []byte {
	subject := fmt.Sprintf("opencart-xero: export run %d: %d exported, %d failed", sum.RunID, sum.Exported, sum.Failed)
	if len(concerns) > 0 {
		subject += " - needs attention"
	}
	var addrs []string
	for _, a := range to {
		addrs = append(addrs, a.String())
	}
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
		from.String(), strings.Join(addrs, ", "), mime.QEncoding.Encode("utf-8", subject), now.Format(time.RFC1123Z))
	var body strings.Builder
	fmt.Fprintf(&body, "The scheduled export of profile %s ran (run %d): %d exported, %d unchanged, %d failed, %d skipped; %s to Xero in %s.\n",
		profile, sum.RunID, sum.Exported, sum.Unchanged, sum.Failed, sum.Skipped, export.Counted(sum.APICalls, "request", "requests"), sum.Duration.Round(time.Second))
	if runErr != nil {
		fmt.Fprintf(&body, "\nIt stopped: %s\n", runErr)
	}
	for _, c := range concerns {
		fmt.Fprintf(&body, "\n• %s\n", c.Text)
	}
	if len(failed) > 0 {
		body.WriteString("\nFailed records:\n")
		for _, r := range failed {
			fmt.Fprintf(&body, "  %s %s: %s\n", kindWord(r.Kind), r.OpenCartID, r.Error)
		}
		if len(failed) == 100 {
			body.WriteString("  … and more: opencart-xero history --failed\n")
		}
	}
	// Shop and Xero text in the body: shown literally, one record a line;
	// a line of a lone "." would end the message early, so lines are
	// dot-stuffed by the SMTP client (net/smtp's DATA writer).
	for _, line := range strings.Split(strings.TrimSuffix(body.String(), "\n"), "\n") {
		b.WriteString(safetext.Terminal(line) + "\r\n")
	}
	return []byte(b.String())
}

// sendMail delivers msg: TLS from the start on port 465, else STARTTLS,
// which is required whenever a password is sent; without a password a
// server that offers no STARTTLS gets the message in the clear.
func sendMail(ctx context.Context, m mailSettings, from string, to []*mail.Address, msg []byte, roots *x509.CertPool) error {
	addr := net.JoinHostPort(m.host, m.port)
	tlsConfig := &tls.Config{ServerName: m.host, RootCAs: roots, MinVersion: tls.VersionTLS12}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	var conn net.Conn
	var err error
	if m.port == "465" {
		conn, err = (&tls.Dialer{Config: tlsConfig}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return fmt.Errorf("e-mail: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, m.host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("e-mail: %w", err)
	}
	defer c.Close()
	if m.port != "465" {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return fmt.Errorf("e-mail: STARTTLS: %w", err)
			}
		} else if m.user != "" {
			return fmt.Errorf("e-mail: %s offers no encryption (STARTTLS); the password is not sent in the clear", m.host)
		}
	}
	if m.user != "" {
		if err := c.Auth(smtp.PlainAuth("", m.user, m.password, m.host)); err != nil {
			return fmt.Errorf("e-mail: signing in as %s: %w", m.user, err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("e-mail: %w", err)
	}
	for _, a := range to {
		if err := c.Rcpt(a.Address); err != nil {
			return fmt.Errorf("e-mail: %s: %w", a.Address, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("e-mail: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("e-mail: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("e-mail: %w", err)
	}
	return c.Quit()
}
