package redact

import "testing"

func TestIsSecretKey(t *testing.T) {
	for name, want := range map[string]bool{"SysPwd": true, "syspwd": true, "Password": true, "passphrase": true,
		"X-Csrf-Token": true, "Authorization": true, "JSESSIONID": true, "LoginName": false, "SysUser": false,
		"DestinationKey": false, "Passwords": false} {
		if got := IsSecretKey(name); got != want {
			t.Errorf("IsSecretKey(%q) = %v, want %v", name, got, want)
		}
	}
}
