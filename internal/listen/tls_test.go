package listen

import (
	"crypto/tls"
	"strings"
	"testing"

	"github.com/kaito-go/kaito/internal/testcert"
)

func TestTLSConfig(t *testing.T) {
	cert := testcert.New(t)
	if tc, err := TLSConfig("x", nil, "", ""); tc != nil || err != nil {
		t.Errorf("no TLS asked: %v, %v; want nil, nil", tc, err)
	}
	if _, err := TLSConfig("x", &tls.Config{}, "", ""); err == nil || !strings.HasPrefix(err.Error(), "x: ") || !strings.Contains(err.Error(), "no certificate") {
		t.Errorf("a config without a certificate: %v", err)
	}
	if _, err := TLSConfig("x", nil, cert.CertFile, "/no/such/key.pem"); err == nil || !strings.Contains(err.Error(), "CertFile and KeyFile") {
		t.Errorf("a missing key file: %v", err)
	}
	base := &tls.Config{ServerName: "keep"}
	tc, err := TLSConfig("x", base, cert.CertFile, cert.KeyFile)
	if err != nil || len(tc.Certificates) != 1 || tc.ServerName != "keep" || tc == base || len(base.Certificates) != 0 {
		t.Errorf("from files on a base config: %+v, %v; want a clone with the certificate, the base unchanged", tc, err)
	}
}
