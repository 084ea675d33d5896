package exporter

import (
	"bytes"
	"errors"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLogsMaskSecrets(t *testing.T) {
	var out bytes.Buffer
	known := &secrets{}
	known.add("Hunter2-pw")
	log := slog.New(redactHandler{slog.NewJSONHandler(&out, nil), known})
	log.With("url", "https://cbs/?SysPwd=Hunter2-pw").Warn("refresh failed: Hunter2-pw refused",
		"error", errors.New(`answer {"SysPwd":"other-secret"} with Hunter2-pw`).Error(),
		slog.Group("req", "body", `{"Password":"p4ss"}`), "err", errors.New("Hunter2-pw"), "n", 3)
	text := out.String()
	for _, secret := range []string{"Hunter2-pw", "other-secret", "p4ss"} {
		assert.NotContains(t, text, secret)
	}
	assert.Contains(t, text, `"n":3`, "other values untouched")
	assert.Contains(t, text, "refused", "the message is kept")
}
