package main

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDoShowsNoSecretOfAnyAnswer calls, through "ahsay do", every
// endpoint whose answer the SDK types with a Secret (the sweep's proxy
// puts a secret in each): the raw answer masks them all, whatever the
// key is called (Key, HashedPwd), in every output format.
func TestDoShowsNoSecretOfAnyAnswer(t *testing.T) {
	bodies := map[string]string{"GetUser": `{"LoginName":"alice"}`, "GetBackupSet": `{"LoginName":"alice","BackupSetID":"1700000000001"}`}
	var endpoints []string
	for e := range secretAnswers {
		endpoints = append(endpoints, e)
	}
	sort.Strings(endpoints)
	for _, endpoint := range endpoints {
		for _, format := range []string{"table", "json", "csv"} {
			t.Run(endpoint+"/"+format, func(t *testing.T) {
				env := newSweepEnv(t, false)
				args := []string{endpoint}
				if b, ok := bodies[endpoint]; ok {
					args = append(args, b)
				}
				code, stdout, stderr := env.run(t, sweepCase{args: args}, "ahsay do", format)
				assert.Equal(t, 0, code, stderr)
				assertClean(t, "stdout", stdout)
				assertClean(t, "stderr", stderr)
				assert.True(t, json.Valid([]byte(stdout)), stdout)
			})
		}
	}
}

func TestSDKSecretKeysAreFoundFromTheClientsResultTypes(t *testing.T) {
	for _, key := range []string{"Key", "HashedPwd", "AccessToken", "SmtpAuthPwd", "Password", "Token"} {
		assert.True(t, isSDKSecretKey(key), key)
	}
	for _, key := range []string{"LoginName", "DestinationKey", "Status"} {
		assert.False(t, isSDKSecretKey(key), key)
	}
}
