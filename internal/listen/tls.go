package listen

import (
	"crypto/tls"
	"errors"
	"fmt"
)

// TLSConfig returns the TLS config a serve helper's Config asks for: a
// clone of base with the certificate of certFile and keyFile (when given)
// put first, or nil when neither base nor certFile is set. It fails when
// the files cannot be loaded or the config has no certificate at all.
// prefix starts the error messages ("nethttp", "fasthttp adapter"). The
// adapter then sets the protocols it speaks.
func TLSConfig(prefix string, base *tls.Config, certFile, keyFile string) (*tls.Config, error) {
	if base == nil && certFile == "" {
		return nil, nil
	}
	tc := base.Clone()
	if tc == nil {
		tc = &tls.Config{}
	}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, fmt.Errorf("%s: Config.CertFile and KeyFile: %w", prefix, err)
		}
		tc.Certificates = append([]tls.Certificate{cert}, tc.Certificates...)
	}
	if len(tc.Certificates) == 0 && tc.GetCertificate == nil && tc.GetConfigForClient == nil {
		return nil, errors.New(prefix + ": Config.TLSConfig has no certificate (Certificates, GetCertificate or GetConfigForClient) and Config.CertFile is empty")
	}
	return tc, nil
}
