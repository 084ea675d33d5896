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
	return command("do ENDPOINT [JSON]", "Call any AhsayCBS endpoint (the credentials are added) and print its answer",
		`backupapi ahsay do ListBackupSets '{"LoginName":"alice"}'`, 1, 2, func(cmd *cobra.Command, args []string) error {
			in, err := jsonArg(args, 1)
			if err != nil {
				return err
			}
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			var out json.RawMessage
			if err := c.Do(cmd.Context(), args[0], in, &out); err != nil {
				return err
			}
			return printRaw(a, out)
		})
}

func (a *app) xclarityDoCommand() *cobra.Command {
	return command("do METHOD PATH [JSON]", "Call any XClarity endpoint (the session is handled) and print its answer",
		"backupapi xclarity do GET /aicc", 2, 3, func(cmd *cobra.Command, args []string) error {
			in, err := jsonArg(args, 2)
			if err != nil {
				return err
			}
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) error {
				var out json.RawMessage
				if err := c.Do(cmd.Context(), args[0], args[1], in, &out); err != nil {
					return err
				}
				return printRaw(a, out)
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

// printRaw prints a JSON answer, indented.
func printRaw(a *app, raw json.RawMessage) error {
	if len(raw) == 0 {
		return nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		_, err = a.out.Write(append(raw, '\n'))
		return err
	}
	enc := json.NewEncoder(a.out)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
