package main

import (
	"encoding/json"
	"strconv"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// The escape hatches: any endpoint, with the SDK's authentication, retries
// and errors: the quickest way to try an endpoint before writing code.

func (a *app) ahsayDoCommand() *cobra.Command {
	return a.command("do ENDPOINT [JSON]", "Call any AhsayCBS endpoint (the credentials are added) and print its answer",
		`backupapi ahsay do ListBackupSets '{"LoginName":"alice"}'`, 1, 2, func(cmd *cobra.Command, args []string) (result, error) {
			in, err := jsonArg(args, 1)
			if err != nil {
				return nil, err
			}
			c, err := a.ahsayClient()
			if err != nil {
				return nil, err
			}
			var out json.RawMessage
			if err := c.Do(cmd.Context(), args[0], in, &out); err != nil {
				return nil, err
			}
			return rawAnswer(out), nil
		})
}

func (a *app) xclarityDoCommand() *cobra.Command {
	return a.command("do METHOD PATH [JSON]", "Call any XClarity endpoint (the session is handled) and print its answer",
		"backupapi xclarity do GET /aicc", 2, 3, func(cmd *cobra.Command, args []string) (result, error) {
			in, err := jsonArg(args, 2)
			if err != nil {
				return nil, err
			}
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				var out json.RawMessage
				if err := c.Do(cmd.Context(), args[0], args[1], in, &out); err != nil {
					return nil, err
				}
				return rawAnswer(out), nil
			})
		})
}

// jsonArg returns args[i] as a JSON value to send, nil when absent.
func jsonArg(args []string, i int) (any, error) {
	if len(args) <= i {
		return nil, nil
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(args[i]), &v); err != nil {
		return nil, usagef("the request %s is not a JSON object: %v", strconv.Quote(args[i]), err)
	}
	return v, nil
}
