package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"syscall"

	"github.com/udrul/udrul/store"
)

// errNoSMTP is an e-mail with no SMTP server to send it.
var errNoSMTP = errors.New("no SMTP server configured")

// failure is a failed delivery said in words; the error behind it stays
// reachable for errors.Is/As.
type failure struct {
	msg   string
	cause error
}

func (f *failure) Error() string { return f.msg }
func (f *failure) Unwrap() error { return f.cause }

// explain says why a delivery failed in plain words in the sender's
// language: what could not be reached and what to check. A reason it does
// not know keeps its own text after what failed.
func (s *Sender) explain(m store.Message, err error) error {
	if err == nil || errors.Is(err, context.Canceled) {
		return err
	}
	var f *failure
	if errors.As(err, &f) {
		return err
	}
	l := func(da, en string) string {
		if s.English {
			return en
		}
		return da
	}
	where := redactURL(m.Channel, m.Recipient)
	if m.Channel == "email" {
		where = l("SMTP-serveren", "the SMTP server")
		if s.Mail != nil && s.Mail.Host != "" {
			where = fmt.Sprintf("%s %s:%d", where, s.Mail.Host, s.Mail.Port)
		}
	}
	var dns *net.DNSError
	var ne net.Error
	var cert *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var why string
	var gone *attachmentGone
	switch {
	case errors.As(err, &gone):
		why = fmt.Sprintf(l("vedhæftningen %s findes ikke længere (fjernet eller flyttet): beskeden sendes ikke uden den; skriv rapporten igen (udrul report), eller fjern beskeden (udrul outbox --drop)",
			"the attachment %s is gone (removed or moved): the message is not sent without it; write the report again (udrul report), or remove the message (udrul outbox --drop)"), gone.path)
	case errors.Is(err, errNoSMTP):
		why = l("der er ingen SMTP-server i konfigurationen (smtp.host): e-mail kan ikke sendes", "no SMTP server configured (smtp.host): e-mail cannot be sent")
	case errors.As(err, &dns):
		why = fmt.Sprintf(l("%s kan ikke findes (DNS): tjek værtsnavnet", "%s cannot be found (DNS): check the host name"), where)
	case errors.Is(err, syscall.ECONNREFUSED):
		why = fmt.Sprintf(l("%s afviste forbindelsen (connection refused): tjek adressen og porten, og at serveren kører", "%s refused the connection (connection refused): check the address and port, and that the server runs"), where)
	case errors.As(err, &cert), errors.As(err, &unknown):
		why = fmt.Sprintf(l("%s har et certifikat, der ikke kan godkendes: tjek smtp.security og serverens certifikat", "%s has a certificate that cannot be verified: check smtp.security and the server's certificate"), where)
	case errors.As(err, &ne) && ne.Timeout():
		why = fmt.Sprintf(l("%s svarede ikke i tide: næste forsøg kommer senere", "%s did not answer in time: the next attempt comes later"), where)
	default:
		return err
	}
	return &failure{msg: why, cause: err}
}
