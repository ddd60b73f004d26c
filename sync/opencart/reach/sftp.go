package reach

import (
	"context"
	"fmt"
	"io"

	"github.com/pkg/sftp"
)

// MaxRemoteFile is the most ReadFile reads: a config.php is a few KB.
const MaxRemoteFile = 1 << 20

// ReadFile reads a file on the SSH server over SFTP, e.g. the shop's
// config.php, checking the host key as the tunnel does.
func ReadFile(ctx context.Context, s SSH, path string) ([]byte, error) {
	t, err := NewTunnel(s)
	if err != nil {
		return nil, err
	}
	defer t.Close()
	c, err := t.connect(ctx)
	if err != nil {
		return nil, err
	}
	fs, err := sftp.NewClient(c)
	if err != nil {
		return nil, &HopError{Hop: HopSSH, Server: t.server, Reason: "offers no SFTP", Err: err}
	}
	defer fs.Close()
	f, err := fs.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s on %s: %w", path, t.server, err)
	}
	defer f.Close()
	stop := context.AfterFunc(ctx, func() { t.Close() })
	defer stop()
	data, err := io.ReadAll(io.LimitReader(f, MaxRemoteFile+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s on %s: %w", path, t.server, err)
	}
	if len(data) > MaxRemoteFile {
		return nil, fmt.Errorf("%s on %s is larger than %d bytes: not a config.php", path, t.server, MaxRemoteFile)
	}
	return data, nil
}
