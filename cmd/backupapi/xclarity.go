package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// xclarityCommand is "backupapi xclarity": backups, their lifecycle and jobs.
func (a *app) xclarityCommand() *cobra.Command {
	c := group("xclarity", "Lenovo XClarity Administrator: management-server backups and jobs", "backupapi xclarity backups list", a.xcBackups(), a.xcJobs(), a.xclarityDoCommand())
	a.connectionFlags(c, xclarityProduct)
	settingsFirst(c, xclarityProduct)
	return c
}

// backupHint adds what to check to a 400 answer of an operation that names
// a backup by UUID: the appliance answers an unknown backup with 400 (the
// reference lists no 404 for these pages) and the SDK rightly does not
// guess "not found" from the message's text, so the error stays an invalid
// request (exit 6) and the command line says where to look.
func backupHint(err error) error {
	var e *backupapi.Error
	if errors.As(err, &e) && e.HTTPStatus == http.StatusBadRequest {
		return hinted{err, "check the UUID with `backupapi xclarity backups list`"}
	}
	return err
}

// hinted is an error with a hint for the command line's user after it.
type hinted struct {
	error
	hint string
}

func (h hinted) Error() string { return h.error.Error() + "; " + h.hint }
func (h hinted) Unwrap() error { return h.error }

// withXClarity runs f with a client and ends its session afterwards.
func (a *app) withXClarity(cmd *cobra.Command, f func(*backupapi.XClarityClient) (result, error)) (result, error) {
	c, err := a.xclarityClient()
	if err != nil {
		return nil, err
	}
	defer closeXClarity(cmd.Context(), c)
	return f(c)
}

var jobColumnsXC = []column[backupapi.Job]{
	col("ID", func(j backupapi.Job) any { return j.JobUID }),
	col("NAME", func(j backupapi.Job) any { return j.Name }),
	col("STATUS", func(j backupapi.Job) any { return j.Status }),
	col("PERCENT", func(j backupapi.Job) any { return j.Percentage }),
	col("STARTED", func(j backupapi.Job) any { return j.StartTime }),
	col("CREATED BY", func(j backupapi.Job) any { return j.CreatedBy }),
}

// waitJob follows a job to its end, with progress on stderr, and returns
// act with the job's final state; after Ctrl-C or --wait-timeout it says
// what is still running. A job that failed is an error matching
// backupapi.ErrJobFailed (exit 1).
func (a *app) waitJob(cmd *cobra.Command, c *backupapi.XClarityClient, act *action, label, id string, backup bool) (result, error) {
	var job *backupapi.Job
	err := a.waitFor(cmd.Context(), label, jobRunning(id, backup), func(ctx context.Context, opts backupapi.WaitOptions) (final string, err error) {
		if backup {
			job, err = c.WaitForBackup(ctx, id, opts)
		} else {
			job, err = c.WaitForJob(ctx, id, opts)
		}
		if job != nil {
			final = string(job.Status)
		}
		return final, err
	})
	if err != nil {
		if job != nil && job.Status.Failed() && !errors.Is(err, backupapi.ErrJobFailed) {
			err = jobFailedf("job %s ended %s", job.JobUID, job.Status)
		}
		return nil, err
	}
	act.JobID, act.Status = job.JobUID, string(job.Status)
	return act, nil
}

// started is the result of an action the appliance answered: the job it
// started, waited for if asked, or "done".
func (a *app) started(cmd *cobra.Command, c *backupapi.XClarityClient, act *action, label string, res *backupapi.ActionResult, wait, backup bool) (result, error) {
	for _, m := range res.Messages {
		act.Messages = append(act.Messages, m.Text)
		if a.output != "json" {
			a.note(res.Result, m.Text)
		}
	}
	act.JobID, act.Status = res.JobID, "done"
	if res.JobID != "" {
		act.Status = "started"
	}
	if !wait || res.JobID == "" && !backup {
		return act, nil
	}
	return a.waitJob(cmd, c, act, label, res.JobID, backup)
}

func (a *app) xcBackups() *cobra.Command {
	listCmd := a.command("list", "List the backups", "backupapi xclarity backups list -o json", 0, 0, func(cmd *cobra.Command, _ []string) (result, error) {
		return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
			backups, err := c.ListBackups(cmd.Context())
			if err != nil {
				return nil, err
			}
			return list(backups, []column[backupapi.Backup]{
				col("UUID", func(b backupapi.Backup) any { return b.UUID }),
				col("FILE", func(b backupapi.Backup) any { return b.Filename }),
				col("LOCATION", func(b backupapi.Backup) any { return b.Location }),
				col("DATE", func(b backupapi.Backup) any { return b.BackupDate }),
				col("BY", func(b backupapi.Backup) any { return b.BackupRequestedBy }),
			}), nil
		})
	})
	var to string
	var wait bool
	transfer := func(use, short string, move bool) *cobra.Command {
		cmd := a.command(use+" UUID", short, "backupapi xclarity backups "+use+" UUID --to /mnt/share --wait", 1, 1,
			func(cmd *cobra.Command, args []string) (result, error) {
				return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
					req := &backupapi.TransferBackupRequest{UUID: args[0], Destination: to}
					call := c.CopyBackup
					if move {
						call = c.MoveBackup
					}
					res, err := call(cmd.Context(), req)
					if err != nil {
						return nil, backupHint(err)
					}
					return a.started(cmd, c, &action{Action: use + " backup", Target: args[0], UUID: args[0]}, use, res, wait, false)
				})
			})
		cmd.Flags().StringVar(&to, "to", "", "internal, or a remote share's mount point")
		cmd.Flags().BoolVar(&wait, "wait", false, "wait for the job to end")
		a.addWaitFlags(cmd, &wait)
		_ = cmd.MarkFlagRequired("to")
		return cmd
	}
	pushCmd := a.command("push UUID", "Push a backup to a new appliance", "backupapi xclarity backups push UUID --to 10.0.0.5 --wait", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				res, err := c.PushBackup(cmd.Context(), &backupapi.PushBackupRequest{UUID: args[0], TargetAddress: to})
				if err != nil {
					return nil, backupHint(err)
				}
				return a.started(cmd, c, &action{Action: "push backup", Target: args[0], UUID: args[0]}, "push", res, wait, false)
			})
		})
	pushCmd.Flags().StringVar(&to, "to", "", "the new appliance's address")
	pushCmd.Flags().BoolVar(&wait, "wait", false, "wait for the job to end")
	a.addWaitFlags(pushCmd, &wait)
	_ = pushCmd.MarkFlagRequired("to")
	cancelPushCmd := a.command("cancel-push", "Cancel the push in progress", "backupapi xclarity backups cancel-push", 0, 0,
		func(cmd *cobra.Command, _ []string) (result, error) {
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				res, err := c.CancelPush(cmd.Context())
				if err != nil {
					return nil, err
				}
				return a.started(cmd, c, &action{Action: "cancel push"}, "cancel", res, false, false)
			})
		})
	importCmd := a.command("import FILE", "Upload a backup file (streamed)", "backupapi xclarity backups import lxca-backup.tgz", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			f, err := os.Open(args[0])
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				res, err := c.ImportBackup(cmd.Context(), &backupapi.ImportBackupRequest{Filename: filepath.Base(args[0]), Body: f})
				if err != nil {
					return nil, err
				}
				return a.started(cmd, c, &action{Action: "import backup", Target: filepath.Base(args[0])}, "import", res, false, false)
			})
		})
	var passFile string
	passphrase := func() (backupapi.Secret, error) { return a.passphrase(passFile) }
	processCmd := a.command("process", "Validate and prepare an imported or pushed backup", "backupapi xclarity backups process --passphrase-file phrase.txt", 0, 0,
		func(cmd *cobra.Command, _ []string) (result, error) {
			p, err := passphrase()
			if err != nil {
				return nil, err
			}
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				res, err := c.ProcessBackup(cmd.Context(), &backupapi.ProcessBackupRequest{Passphrase: p})
				if err != nil {
					return nil, err
				}
				return a.started(cmd, c, &action{Action: "process backup"}, "process", res, wait, false)
			})
		})
	processCmd.Flags().StringVar(&passFile, "passphrase-file", "", "read the passphrase from this file (default $XCLARITY_PASSPHRASE, else a prompt)")
	processCmd.Flags().BoolVar(&wait, "wait", false, "wait for the job to end")
	a.addWaitFlags(processCmd, &wait)
	var label, share string
	var fw, osImages bool
	createCmd := a.command("create", "Back up the appliance (it is quiesced while the backup runs)", "backupapi xclarity backups create --label nightly --wait", 0, 0,
		func(cmd *cobra.Command, _ []string) (result, error) {
			p, err := passphrase()
			if err != nil {
				return nil, err
			}
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				res, err := c.CreateBackup(cmd.Context(), &backupapi.CreateBackupRequest{Label: label, Passphrase: p, IncludeFW: fw, IncludeOS: osImages, RemoteShareDestination: share})
				if err != nil {
					return nil, err
				}
				return a.started(cmd, c, &action{Action: "create backup", Target: label}, "backup", res, wait, true)
			})
		})
	createCmd.Flags().StringVar(&passFile, "passphrase-file", "", "read the passphrase from this file (default $XCLARITY_PASSPHRASE, else a prompt)")
	createCmd.Flags().StringVar(&label, "label", "", "the backup's label")
	createCmd.Flags().BoolVar(&fw, "include-fw", false, "include firmware and OS device-driver updates")
	createCmd.Flags().BoolVar(&osImages, "include-os", false, "include operating-system images")
	createCmd.Flags().StringVar(&share, "share", "", "a remote share's mount point (default the local repository)")
	createCmd.Flags().BoolVar(&wait, "wait", false, "wait for the backup to end")
	a.addWaitFlags(createCmd, &wait)
	var location string
	deleteCmd := a.command("delete UUID", "Delete a backup from a location", "backupapi xclarity backups delete UUID --location all", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				res, err := c.DeleteBackup(cmd.Context(), &backupapi.DeleteBackupRequest{UUID: args[0], Location: location})
				if err != nil {
					return nil, backupHint(err)
				}
				return a.started(cmd, c, &action{Action: "delete backup", Target: args[0], UUID: args[0]}, "delete", res, false, false)
			})
		})
	deleteCmd.Flags().StringVar(&location, "location", "", "internal, all, or a remote share's mount point")
	_ = deleteCmd.MarkFlagRequired("location")
	restore := func(use, short string, start bool) *cobra.Command {
		cmd := a.command(use+" UUID", short, "backupapi xclarity backups restore "+use+" UUID", 1, 1, func(cmd *cobra.Command, args []string) (result, error) {
			p, err := passphrase()
			if err != nil {
				return nil, err
			}
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				req := &backupapi.RestoreRequest{UUID: args[0], Passphrase: p}
				call := c.PrepareRestore
				if start {
					call = c.StartRestore
				}
				res, err := call(cmd.Context(), req)
				if err != nil {
					return nil, backupHint(err)
				}
				return a.started(cmd, c, &action{Action: use + " restore of backup", Target: args[0], UUID: args[0]}, "restore", res, wait && start, true)
			})
		})
		cmd.Flags().StringVar(&passFile, "passphrase-file", "", "read the backup's passphrase from this file (default $XCLARITY_PASSPHRASE, else a prompt)")
		if start {
			cmd.Flags().BoolVar(&wait, "wait", false, "wait for the restore to end")
			a.addWaitFlags(cmd, &wait)
		}
		return cmd
	}
	quiesceCmd := a.command("quiesce", "The backup or restore running now, if any", "backupapi xclarity backups quiesce", 0, 0,
		func(cmd *cobra.Command, _ []string) (result, error) {
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				q, err := c.QuiesceStatus(cmd.Context())
				if err != nil {
					return nil, err
				}
				fields := []field{{"running", "nothing"}}
				switch {
				case q.Backup != nil:
					fields = []field{{"running", "backup"}, {"job", q.Backup.JobID}, {"progress", fmt.Sprintf("%.0f%%", float64(q.Backup.Progress))}, {"status", q.Backup.Status}}
				case q.Restore != nil:
					fields = []field{{"running", "restore"}, {"job", q.Restore.JobID}, {"progress", fmt.Sprintf("%.0f%%", float64(q.Restore.Progress))}, {"status", q.Restore.Status}}
				}
				return one(q, fields...), nil
			})
		})
	return group("backups", "Management-server backups and their lifecycle", "backupapi xclarity backups create --label nightly --wait", listCmd,
		transfer("copy", "Copy a backup to a destination", false), transfer("move", "Move a backup to a destination", true),
		pushCmd, cancelPushCmd, importCmd, processCmd, createCmd, deleteCmd,
		group("restore", "Restore a backup: prepare it, then start", "backupapi xclarity backups restore prepare UUID", restore("prepare", "Decrypt and prepare a backup for a restore", false),
			restore("start", "Restore a prepared backup (the appliance is quiesced meanwhile)", true)),
		quiesceCmd, a.xcWaitBackup())
}

// xcWaitBackup is "backups wait [JOB]": follow a backup or restore through
// the quiesced phase.
func (a *app) xcWaitBackup() *cobra.Command {
	cmd := a.command("wait [JOB]", "Wait for a backup or restore to end, through the appliance's quiesced phase (exit 1 when it fails)",
		"backupapi xclarity backups wait", 0, 1, func(cmd *cobra.Command, args []string) (result, error) {
			id := ""
			if len(args) == 1 {
				id = args[0]
			}
			return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
				return a.waitJob(cmd, c, &action{Action: "wait for backup or restore"}, "backup", id, true)
			})
		})
	a.addWaitFlags(cmd, nil)
	return cmd
}

func (a *app) xcJobs() *cobra.Command {
	var compact bool
	listCmd := a.command("list", "List every job", "backupapi xclarity jobs list --compact", 0, 0, func(cmd *cobra.Command, _ []string) (result, error) {
		return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
			jobs, err := c.ListJobs(cmd.Context(), &backupapi.ListJobsRequest{Compact: compact})
			if err != nil {
				return nil, err
			}
			return list(jobs, jobColumnsXC), nil
		})
	})
	listCmd.Flags().BoolVar(&compact, "compact", false, "leave sub-jobs out")
	getCmd := a.command("get ID...", "Show jobs", "backupapi xclarity jobs get 17", 1, -1, func(cmd *cobra.Command, args []string) (result, error) {
		return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
			jobs, err := c.GetJobs(cmd.Context(), args...)
			if err != nil {
				return nil, err
			}
			return list(jobs, jobColumnsXC), nil
		})
	})
	waitCmd := a.command("wait ID", "Wait for a job to end (exit 1 when it fails)", "backupapi xclarity jobs wait 17", 1, 1, func(cmd *cobra.Command, args []string) (result, error) {
		return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
			return a.waitJob(cmd, c, &action{Action: "wait for job"}, "job "+args[0], args[0], false)
		})
	})
	a.addWaitFlags(waitCmd, nil)
	cancelCmd := a.command("cancel ID...", "Cancel jobs", "backupapi xclarity jobs cancel 17 18", 1, -1, func(cmd *cobra.Command, args []string) (result, error) {
		return a.withXClarity(cmd, func(c *backupapi.XClarityClient) (result, error) {
			if err := cancelJobs(cmd.Context(), c, args); err != nil {
				return nil, err
			}
			return done("cancel jobs", strings.Join(args, " ")), nil
		})
	})
	return group("jobs", "Jobs (tasks)", "backupapi xclarity jobs wait 17", listCmd, getCmd, waitCmd, cancelCmd)
}
