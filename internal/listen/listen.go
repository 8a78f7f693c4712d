// Package listen opens the listeners of the adapters' ListenAndServe
// helpers: TCP addresses, and Unix sockets written "unix:/path" with the
// socket file's mode set before anyone can connect, and a socket file left
// behind by a crashed server replaced safely.
package listen

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// UnixPrefix starts an address that names a Unix socket: "unix:/run/app.sock",
// or "unix:@name" for a Linux abstract socket, which has no file.
const UnixPrefix = "unix:"

// Listen listens on addr: a Unix socket when addr starts with UnixPrefix
// (see Unix), else a TCP address as net.Listen takes it.
func Listen(addr string, mode fs.FileMode) (net.Listener, error) {
	if path, ok := strings.CutPrefix(addr, UnixPrefix); ok {
		return Unix(path, mode)
	}
	return net.Listen("tcp", addr)
}

// Unix listens on the Unix socket at path, whose file gets mode (its
// permission bits) before it appears at path, so that no process the mode
// excludes can ever connect. A file already at path is replaced only when it
// is a socket that nobody accepts connections on: the remains of a server
// that crashed. A socket in use, or a file that is not a socket, is an
// error, and nothing is removed. A path starting with '@' is a Linux
// abstract socket: it has no file, and mode does not apply.
//
// Closing the listener removes the socket file.
func Unix(path string, mode fs.FileMode) (net.Listener, error) {
	if path == "" {
		return nil, errors.New("listen: empty Unix socket path")
	}
	if path[0] == '@' {
		return net.Listen("unix", path)
	}
	if err := stale(path); err != nil {
		return nil, err
	}
	// The socket is made under a temporary name, given its mode, then
	// renamed into place: between bind and chmod its mode is only what the
	// umask allowed, and nobody must be able to connect through that window.
	var b [4]byte
	rand.Read(b[:])
	tmp := filepath.Join(filepath.Dir(path), "."+hex.EncodeToString(b[:])+".sock")
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("listen: Unix socket %s: %w", path, err)
	}
	ln.SetUnlinkOnClose(false)
	if err := os.Chmod(tmp, mode.Perm()); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("listen: Unix socket %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		ln.Close()
		os.Remove(tmp)
		return nil, fmt.Errorf("listen: Unix socket %s: %w", path, err)
	}
	return &unixListener{UnixListener: ln, path: path}, nil
}

// stale checks what is at path before a server listens there, and removes
// a socket that nobody listens on.
func stale(path string) error {
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("listen: Unix socket %s: %w", path, err)
	}
	if fi.Mode().Type() != fs.ModeSocket {
		return fmt.Errorf("listen: Unix socket %s: a file that is not a socket is in the way (%v); not removing it", path, fi.Mode().Type())
	}
	c, err := net.DialTimeout("unix", path, time.Second)
	if err == nil {
		c.Close()
		return fmt.Errorf("listen: Unix socket %s: another server is accepting connections on it", path)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		// Not the sign of a dead server (a timeout: a live one with a full
		// backlog; permission denied): leave the file alone.
		return fmt.Errorf("listen: Unix socket %s: cannot tell whether it is in use: %w", path, err)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("listen: Unix socket %s: removing the stale socket: %w", path, err)
	}
	return nil
}

// unixListener removes its socket file when closed, under the name the
// file was renamed to.
type unixListener struct {
	*net.UnixListener
	path string
}

func (l *unixListener) Close() error {
	err := l.UnixListener.Close()
	if err == nil {
		os.Remove(l.path)
	}
	return err
}
