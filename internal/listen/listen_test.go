package listen

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// shortDir is a temporary directory with a short path: a socket path has
// at most 107 bytes.
func shortDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "kaito")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestUnix(t *testing.T) {
	cases := []struct {
		name   string
		before func(t *testing.T, path string) // what is at path before Unix
		err    string                          // "" for success
		kept   bool                            // the file before must still be there
	}{
		{"nothing there", func(*testing.T, string) {}, "", false},
		{"a stale socket", func(t *testing.T, path string) {
			ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
			if err != nil {
				t.Fatal(err)
			}
			ln.SetUnlinkOnClose(false)
			ln.Close()
		}, "", false},
		{"a socket in use", func(t *testing.T, path string) {
			ln, err := net.Listen("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
		}, "another server is accepting connections", true},
		{"a regular file", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("data"), 0o600)
		}, "not a socket", true},
		{"a directory", func(t *testing.T, path string) {
			os.Mkdir(path, 0o700)
		}, "not a socket", true},
		{"a symbolic link to a stale socket", func(t *testing.T, path string) {
			target := path + ".target"
			ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: target, Net: "unix"})
			if err != nil {
				t.Fatal(err)
			}
			ln.SetUnlinkOnClose(false)
			ln.Close()
			os.Symlink(target, path)
		}, "not a socket", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(shortDir(t), "s.sock")
			tc.before(t, path)
			before, _ := os.Lstat(path)
			ln, err := Unix(path, 0o640)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), path) {
					t.Fatalf("Unix = %v, want an error naming the path and saying %q", err, tc.err)
				}
				after, _ := os.Lstat(path)
				if tc.kept && (after == nil || !os.SameFile(before, after)) {
					t.Errorf("the file at the path was replaced or removed")
				}
				return
			}
			if err != nil {
				t.Fatalf("Unix = %v", err)
			}
			fi, err := os.Lstat(path)
			if err != nil || fi.Mode().Type() != fs.ModeSocket || fi.Mode().Perm() != 0o640 {
				t.Errorf("the socket file: %v %v, want a socket with mode 0640", fi.Mode(), err)
			}
			go func() {
				if c, err := ln.Accept(); err == nil {
					c.Close()
				}
			}()
			c, err := net.Dial("unix", path)
			if err != nil {
				t.Fatalf("dialling the socket: %v", err)
			}
			c.Close()
			entries, _ := os.ReadDir(filepath.Dir(path))
			if len(entries) != 1 {
				t.Errorf("the directory holds %d entries, want the socket alone", len(entries))
			}
			ln.Close()
			if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the socket file is still there after Close: %v", err)
			}
		})
	}
}

// TestUnixModeIgnoresUmask: the socket has the mode asked for, whatever
// the umask would have given it.
func TestUnixModeIgnoresUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	path := filepath.Join(shortDir(t), "s.sock")
	ln, err := Unix(path, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o666 {
		t.Errorf("mode %v (%v), want 0666", fi.Mode(), err)
	}
}

func TestListen(t *testing.T) {
	ln, err := Listen("127.0.0.1:0", 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if ln.Addr().Network() != "tcp" {
		t.Errorf("Listen(127.0.0.1:0) on %s", ln.Addr().Network())
	}
	ln.Close()
	path := filepath.Join(shortDir(t), "s.sock")
	if ln, err = Listen("unix:"+path, 0o600); err != nil {
		t.Fatal(err)
	}
	if ln.Addr().Network() != "unix" {
		t.Errorf("Listen(unix:...) on %s", ln.Addr().Network())
	}
	ln.Close()
	if _, err := Listen("unix:", 0o600); err == nil {
		t.Error(`Listen("unix:") accepted an empty path`)
	}
	// A Linux abstract socket: no file.
	ln, err = Listen("unix:@kaito-test-"+filepath.Base(shortDir(t)), 0o600)
	if err != nil {
		t.Skipf("no abstract sockets here: %v", err)
	}
	ln.Close()
}
