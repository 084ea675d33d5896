package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/spf13/cobra"
)

// ahsayCommand is "backupapi ahsay": every AhsayClient operation.
func (a *app) ahsayCommand() *cobra.Command {
	var owner string
	u := func(login string) backupapi.UserRef { return ref(login, owner) }
	c := group("ahsay", "AhsayCBS: backup users, contacts, storage, rebuilds, backup and restore jobs, the server",
		a.ahsayUsers(u), a.ahsayContacts(u), a.ahsayStorage(u), a.ahsayRebuild(u), a.ahsayLive(), a.ahsayRunJobs(u),
		a.ahsaySets(u), a.ahsayJobs(u), a.ahsayRestores(u), a.ahsaySystem(), a.ahsayDoCommand())
	a.connectionFlags(c, ahsayProduct)
	c.PersistentFlags().StringVar(&owner, "owner", "", "the backup user's owner (sub-admin or reseller), if any")
	return c
}

var userColumns = []column[backupapi.User]{
	col("LOGIN", func(u backupapi.User) string { return u.LoginName }),
	col("OWNER", func(u backupapi.User) string { return u.Owner }),
	col("CLIENT", func(u backupapi.User) string { return string(u.ClientType) }),
	col("TYPE", func(u backupapi.User) string { return string(u.UserType) }),
	col("STATUS", func(u backupapi.User) string { return string(u.Status) }),
	col("USED", func(u backupapi.User) string { return u.QuotaUsed.String() }),
	col("REGISTERED", func(u backupapi.User) string { return stamp(u.RegistrationDate.Time) }),
}

func (a *app) ahsayUsers(u func(string) backupapi.UserRef) *cobra.Command {
	var search, clientType string
	listCmd := command("list", "List backup users (streamed: the first lines come at once)", "backupapi ahsay users list --search alice -o csv", 0, 0,
		func(cmd *cobra.Command, _ []string) error {
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			return emit(a, c.AllUsers(cmd.Context(), &backupapi.ListUsersRequest{SearchStr: search, ClientType: backupapi.ClientType(clientType)}), userColumns, true)
		})
	listCmd.Flags().StringVar(&search, "search", "", "login names containing this")
	listCmd.Flags().StringVar(&clientType, "client-type", "", "OBM or ACB")

	getCmd := command("get LOGIN", "Show a backup user", "backupapi ahsay users get alice", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			d, err := c.GetUser(cmd.Context(), u(args[0]))
			if err != nil {
				return err
			}
			return emitOne(a, d, [][2]string{{"login", d.Name}, {"owner", d.Owner}, {"alias", d.Alias}, {"client", string(d.ClientType)},
				{"type", string(d.Type)}, {"status", string(d.Status)}, {"quota type", string(d.QuotaType)}, {"storage quota", d.StorageQuota.Bytes().String()},
				{"contacts", fmt.Sprint(len(d.ContactList))}, {"notes", d.Notes}})
		})

	var quota, email, addClient, userType, passwordFile string
	addCmd := command("add LOGIN", "Add a backup user (password from --user-password-file or a prompt)",
		"backupapi ahsay users add alice --quota 50GiB --email alice@example.com --user-password-file pw.txt", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			req := &backupapi.AddUserRequest{UserRef: u(args[0]), Email: email, ClientType: backupapi.ClientType(addClient), Type: backupapi.UserType(userType)}
			if quota != "" {
				size, err := parseQuota(quota)
				if err != nil {
					return err
				}
				req.QuotaList = []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: size}}
			}
			pw, err := a.userPassword(passwordFile, args[0])
			if err != nil {
				return err
			}
			req.Password = backupapi.Secret(pw)
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			if err := c.AddUser(cmd.Context(), req); err != nil {
				return err
			}
			fmt.Fprintln(a.out, "added", args[0])
			return nil
		})
	addCmd.Flags().StringVar(&quota, "quota", "", "quota on the AhsayCBS destination, e.g. 50GiB")
	addCmd.Flags().StringVar(&email, "email", "", "the user's e-mail")
	addCmd.Flags().StringVar(&addClient, "client-type", "", "OBM or ACB")
	addCmd.Flags().StringVar(&userType, "type", "", "TRIAL or PAID")
	addCmd.Flags().StringVar(&passwordFile, "user-password-file", "", "read the new user's password from this file")

	var notes, alias, updQuota string
	updateCmd := command("update LOGIN", "Change a backup user: only what is given", "backupapi ahsay users update alice --notes VIP --quota 75GiB", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			req := &backupapi.UpdateUserRequest{UserRef: u(args[0])}
			if cmd.Flags().Changed("notes") {
				req.Notes = backupapi.Ptr(notes)
			}
			if cmd.Flags().Changed("alias") {
				req.Alias = backupapi.Ptr(alias)
			}
			if updQuota != "" {
				size, err := parseQuota(updQuota)
				if err != nil {
					return err
				}
				req.QuotaList = []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: size}}
			}
			return a.ahsayDo(cmd, "updated "+args[0], func(c *backupapi.AhsayClient) error { return c.UpdateUser(cmd.Context(), req) })
		})
	updateCmd.Flags().StringVar(&notes, "notes", "", "the user's notes")
	updateCmd.Flags().StringVar(&alias, "alias", "", "the user's alias")
	updateCmd.Flags().StringVar(&updQuota, "quota", "", "quota on the AhsayCBS destination, e.g. 75GiB")

	status := func(use, short string, s backupapi.UserStatus, done string) *cobra.Command {
		return command(use+" LOGIN", short, "backupapi ahsay users "+use+" alice", 1, 1, func(cmd *cobra.Command, args []string) error {
			return a.ahsayDo(cmd, done+" "+args[0], func(c *backupapi.AhsayClient) error {
				return c.ModifyUserStatus(cmd.Context(), &backupapi.ModifyUserStatusRequest{UserRef: u(args[0]), Status: s})
			})
		})
	}
	removeCmd := command("remove LOGIN", "Remove a backup user", "backupapi ahsay users remove alice", 1, 1, func(cmd *cobra.Command, args []string) error {
		return a.ahsayDo(cmd, "removed "+args[0], func(c *backupapi.AhsayClient) error { return c.RemoveUser(cmd.Context(), u(args[0])) })
	})
	var authFile string
	authCmd := command("auth LOGIN", "Check a backup user's password (from --user-password-file or a prompt)", "backupapi ahsay users auth alice --user-password-file pw.txt", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			pw, err := a.userPassword(authFile, args[0])
			if err != nil {
				return err
			}
			return a.ahsayDo(cmd, "the password of "+args[0]+" is valid", func(c *backupapi.AhsayClient) error {
				return c.AuthUser(cmd.Context(), &backupapi.AuthUserRequest{UserRef: u(args[0]), Password: backupapi.Secret(pw)})
			})
		})
	authCmd.Flags().StringVar(&authFile, "user-password-file", "", "read the password to check from this file")
	forgotCmd := command("forgot-password LOGIN", "E-mail the user a password reset", "backupapi ahsay users forgot-password alice", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			return a.ahsayDo(cmd, "sent", func(c *backupapi.AhsayClient) error { return c.SendForgotPasswordEmail(cmd.Context(), u(args[0])) })
		})
	auaCmd := command("aua on|off LOGIN...", "Turn the Auto Update Agent on or off", "backupapi ahsay users aua on alice bob", 2, -1,
		func(cmd *cobra.Command, args []string) error {
			if args[0] != "on" && args[0] != "off" {
				return usagef("aua %q: want on or off", args[0])
			}
			return a.ahsayDo(cmd, "done", func(c *backupapi.AhsayClient) error {
				return c.UpdateAUA(cmd.Context(), &backupapi.UpdateAUARequest{Enabled: args[0] == "on", LoginNames: args[1:]})
			})
		})
	return group("users", "Backup users", listCmd, getCmd, addCmd, updateCmd,
		status("suspend", "Suspend a backup user", backupapi.UserStatusSuspended, "suspended"),
		status("enable", "Enable a backup user", backupapi.UserStatusEnable, "enabled"),
		removeCmd, authCmd, forgotCmd, auaCmd)
}

// ahsayDo runs one state-changing call and prints what it did.
func (a *app) ahsayDo(_ *cobra.Command, done string, call func(*backupapi.AhsayClient) error) error {
	c, err := a.ahsayClient()
	if err != nil {
		return err
	}
	if err := call(c); err != nil {
		return err
	}
	fmt.Fprintln(a.out, done)
	return nil
}

func (a *app) ahsayContacts(u func(string) backupapi.UserRef) *cobra.Command {
	var name, email string
	contactFlags := func(cmd *cobra.Command) {
		cmd.Flags().StringVar(&name, "name", "", "the contact's name")
		cmd.Flags().StringVar(&email, "email", "", "the contact's e-mail")
	}
	addCmd := command("add LOGIN", "Add a contact", "backupapi ahsay contacts add alice --name Ops --email ops@example.com", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			return a.ahsayDo(cmd, "added", func(c *backupapi.AhsayClient) error {
				return c.AddContact(cmd.Context(), &backupapi.AddContactRequest{UserRef: u(args[0]), Contact: backupapi.Contact{Name: name, Email: email}})
			})
		})
	contactFlags(addCmd)
	var emails []string
	many := func(use, short string, replace bool) *cobra.Command {
		cmd := command(use+" LOGIN", short, "backupapi ahsay contacts "+use+" alice --email a@example.com --email b@example.com", 1, 1,
			func(cmd *cobra.Command, args []string) error {
				req := &backupapi.ContactsRequest{UserRef: u(args[0])}
				for _, e := range emails {
					req.Contacts = append(req.Contacts, backupapi.Contact{Email: e})
				}
				return a.ahsayDo(cmd, "done", func(c *backupapi.AhsayClient) error {
					if replace {
						return c.ReplaceContacts(cmd.Context(), req)
					}
					return c.AppendContacts(cmd.Context(), req)
				})
			})
		cmd.Flags().StringSliceVar(&emails, "email", nil, "a contact's e-mail (repeat for more)")
		return cmd
	}
	var oldEmail, newEmail string
	changeCmd := command("change LOGIN", "Replace one contact by another", "backupapi ahsay contacts change alice --old a@example.com --new b@example.com", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			d, err := c.GetUser(cmd.Context(), u(args[0]))
			if err != nil {
				return err
			}
			for _, ct := range d.ContactList {
				if strings.EqualFold(ct.Email, oldEmail) {
					next := ct
					next.Email = newEmail
					if err := c.ChangeContacts(cmd.Context(), &backupapi.ChangeContactsRequest{UserRef: u(args[0]),
						Old: []backupapi.Contact{ct}, New: []backupapi.Contact{next}}); err != nil {
						return err
					}
					fmt.Fprintln(a.out, "changed")
					return nil
				}
			}
			return fmt.Errorf("%s has no contact %s", args[0], oldEmail)
		})
	changeCmd.Flags().StringVar(&oldEmail, "old", "", "the e-mail of the contact to change")
	changeCmd.Flags().StringVar(&newEmail, "new", "", "its new e-mail")
	return group("contacts", "A backup user's contacts", addCmd, many("append", "Append contacts", false), many("replace", "Replace all contacts", true), changeCmd)
}

func (a *app) ahsayStorage(u func(string) backupapi.UserRef) *cobra.Command {
	var month string
	cmd := command("storage LOGIN", "A user's storage statistics for a month", "backupapi ahsay storage alice --month 2024-06", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			if month == "" {
				month = time.Now().Format("2006-01")
			}
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			st, err := c.GetUserStorageStat(cmd.Context(), &backupapi.StorageStatRequest{UserRef: u(args[0]), YearMonth: month})
			if err != nil {
				return err
			}
			var days []backupapi.DetailStat
			for _, m := range st.Months {
				days = append(days, m.Storage...)
			}
			return emit(a, list(days), []column[backupapi.DetailStat]{
				col("DATE", func(d backupapi.DetailStat) string { return d.Date.Format("2006-01-02") }),
				col("DESTINATION", func(d backupapi.DetailStat) string { return d.DestinationID }),
				col("DATA", func(d backupapi.DetailStat) string { return d.DataRawSize.String() }),
				col("RETAINED", func(d backupapi.DetailStat) string { return d.RetainRawSize.String() }),
				col("UPLOADED", func(d backupapi.DetailStat) string { return d.UploadRawSize.String() }),
				col("TOTAL", func(d backupapi.DetailStat) string { return d.TotalStorageRawSize.String() }),
			}, false)
		})
	cmd.Flags().StringVar(&month, "month", "", "the month, yyyy-MM (default this month)")
	return cmd
}

func (a *app) ahsayRebuild(u func(string) backupapi.UserRef) *cobra.Command {
	var set string
	var wait, crc bool
	waitFor := func(cmd *cobra.Command, c *backupapi.AhsayClient, login string, since time.Time) error {
		return a.waitRebuild(cmd.Context(), c, &backupapi.WaitForRebuildRequest{UserRef: u(login), BackupSetID: set, StartedAfter: since})
	}
	runCmd := command("run LOGIN", "Rebuild a v6 backup set", "backupapi ahsay rebuild run alice --set 1687750405259 --wait", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			started := time.Now()
			if err := c.RunSingleUserRebuild(cmd.Context(), &backupapi.RebuildRequest{UserRef: u(args[0]), BackupSetID: set, CheckCrc: &crc}); err != nil {
				return err
			}
			if !wait {
				fmt.Fprintln(a.out, "rebuild started")
				return nil
			}
			return waitFor(cmd, c, args[0], started.Add(-backupapi.RebuildClockSkew))
		})
	runCmd.Flags().BoolVar(&wait, "wait", false, "wait until it ends")
	a.addWaitFlags(runCmd, &wait)
	runCmd.Flags().BoolVar(&crc, "check-crc", false, "check CRCs")
	statusCmd := command("status LOGIN", "The user's most recent rebuild", "backupapi ahsay rebuild status alice", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			st, err := c.GetSingleUserRebuildStatus(cmd.Context(), u(args[0]))
			if err != nil {
				return err
			}
			return emitOne(a, st, [][2]string{{"backup set", st.BackupSetID}, {"status", string(st.Status)},
				{"started", stamp(st.StartTime.Time)}, {"ended", stamp(st.EndTime.Time)}})
		})
	var startedAfter string
	waitCmd := command("wait LOGIN", "Wait for the backup set's most recent rebuild to end (exit 1 when it fails)", "backupapi ahsay rebuild wait alice --set 1687750405259", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			since, err := parseStartedAfter(startedAfter, time.Now())
			if err != nil {
				return err
			}
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			return waitFor(cmd, c, args[0], since)
		})
	waitCmd.Flags().StringVar(&startedAfter, "started-after", "",
		"only a rebuild started at or after this RFC 3339 time, or this long ago (2h) (default: the most recent, even if it has ended)")
	a.addWaitFlags(waitCmd, nil)
	for _, c := range []*cobra.Command{runCmd, waitCmd} {
		c.Flags().StringVar(&set, "set", "", "the backup set's ID")
		_ = c.MarkFlagRequired("set")
	}
	return group("rebuild", "Backup-set rebuilds", runCmd, statusCmd, waitCmd)
}

func (a *app) ahsayLive() *cobra.Command {
	var user string
	live := func(use string, t backupapi.JobType) *cobra.Command {
		cmd := command(use, "The "+string(t)+" jobs running now", "backupapi ahsay live "+use, 0, 0, func(cmd *cobra.Command, _ []string) error {
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			jobs, err := c.GetUserStatus(cmd.Context(), &backupapi.GetUserStatusRequest{Type: t, LoginName: user})
			if err != nil {
				return err
			}
			return emit(a, list(jobs), []column[backupapi.JobProgress]{
				col("LOGIN", func(j backupapi.JobProgress) string { return j.LoginName }),
				col("BACKUP SET", func(j backupapi.JobProgress) string { return j.BackupSet }),
				col("JOB", func(j backupapi.JobProgress) string { return j.JobID() }),
				col("PERCENT", func(j backupapi.JobProgress) string { return fmt.Sprint(int64(j.OverallPercent)) }),
				col("LAST MESSAGE", func(j backupapi.JobProgress) string { return j.LastMessage }),
			}, false)
		})
		cmd.Flags().StringVar(&user, "user", "", "one user's jobs")
		return cmd
	}
	return group("live", "Jobs running now", live("backups", backupapi.JobTypeBackup), live("restores", backupapi.JobTypeRestore))
}

func (a *app) ahsayRunJobs(u func(string) backupapi.UserRef) *cobra.Command {
	return command("run-jobs LOGIN", "A user's Run-on-Server jobs", "backupapi ahsay run-jobs alice", 1, 1,
		ahsayList(a, []column[backupapi.RunJob]{
			col("BACKUP SET", func(j backupapi.RunJob) string { return j.BackupSetID }),
			col("RUNNING", func(j backupapi.RunJob) string { return j.ExecuteJob }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.RunJob, error) {
			return c.GetServerRunJobStatus(cmd.Context(), u(args[0]))
		}))
}

func (a *app) ahsaySets(u func(string) backupapi.UserRef) *cobra.Command {
	var all bool
	listCmd := command("list LOGIN", "A user's backup sets", "backupapi ahsay sets list alice", 1, 1, func(cmd *cobra.Command, args []string) error {
		c, err := a.ahsayClient()
		if err != nil {
			return err
		}
		sets, err := c.ListBackupSets(cmd.Context(), &backupapi.ListBackupSetsRequest{UserRef: u(args[0]), ListAll: all})
		if err != nil {
			return err
		}
		return emit(a, list(sets.Sets), []column[backupapi.BackupSet]{
			col("ID", func(s backupapi.BackupSet) string { return s.ID }),
			col("NAME", func(s backupapi.BackupSet) string { return s.Name }),
			col("TYPE", func(s backupapi.BackupSet) string { return s.Type }),
		}, false)
	})
	listCmd.Flags().BoolVar(&all, "all", false, "all information, module usage included (ListAll)")
	getCmd := command("get LOGIN SET-ID", "A backup set's settings", "backupapi ahsay sets get alice 1687750405259", 2, 2, func(cmd *cobra.Command, args []string) error {
		c, err := a.ahsayClient()
		if err != nil {
			return err
		}
		d, err := c.GetBackupSet(cmd.Context(), &backupapi.GetBackupSetRequest{UserRef: u(args[0]), BackupSetID: args[1]})
		if err != nil {
			return err
		}
		dests := []string{}
		if d.DestinationSettings != nil {
			for _, x := range d.DestinationSettings.DestinationList {
				dests = append(dests, x.ID+" "+x.Name)
			}
		}
		return emitOne(a, d, [][2]string{{"id", d.BackupSetID}, {"name", d.Name}, {"compression", d.CompressType},
			{"log retention days", fmt.Sprint(int64(d.LogRetentionDays))}, {"destinations", strings.Join(dests, ", ")}})
	})
	return group("sets", "Backup sets", listCmd, getCmd)
}

var jobColumns = []column[backupapi.UserBackupJob]{
	col("USER", func(j backupapi.UserBackupJob) string { return j.User.LoginName }),
	col("BACKUP SET", func(j backupapi.UserBackupJob) string { return j.BackupSetName }),
	col("OUTCOME", func(j backupapi.UserBackupJob) string { return string(j.Status.Outcome()) }),
	col("STATUS", func(j backupapi.UserBackupJob) string { return string(j.Status) }),
	col("START", func(j backupapi.UserBackupJob) string { return stamp(j.StartTime.Time) }),
	col("END", func(j backupapi.UserBackupJob) string { return stamp(j.EndTime.Time) }),
	col("UPLOADED", func(j backupapi.UserBackupJob) string { return j.UploadSize.String() }),
}

func (a *app) ahsayJobs(u func(string) backupapi.UserRef) *cobra.Command {
	var date string
	var failedOnly bool
	var concurrency int
	reportCmd := command("report", "Every user's backup jobs of a date, across the server (exit 1 when one failed or was missed)",
		"backupapi ahsay jobs report --date yesterday --failed", 0, 0, func(cmd *cobra.Command, _ []string) error {
			day, err := parseDate(date, time.Now())
			if err != nil {
				return err
			}
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			failures := 0
			var userErr error
			rows := func(yield func(backupapi.UserBackupJob, error) bool) {
				for job, err := range c.AllBackupJobs(cmd.Context(), &backupapi.AllBackupJobsRequest{Date: day, Concurrency: concurrency}) {
					if err != nil && job.User.LoginName != "" { // one user: report it, go on
						fmt.Fprintf(a.errOut, "backupapi: %s: %s\n", job.User.LoginName, oneLine(err.Error()))
						userErr = err
						continue
					}
					if err == nil && job.Status.Outcome().Failed() {
						failures++
					} else if err == nil && failedOnly {
						continue
					}
					if !yield(job, err) {
						return
					}
				}
			}
			if err := emit(a, rows, jobColumns, true); err != nil {
				return err
			}
			if failures > 0 || userErr != nil {
				return errFailuresReported
			}
			return nil
		})
	reportCmd.Flags().StringVar(&date, "date", "yesterday", "the day: yyyy-MM-dd, today or yesterday")
	reportCmd.Flags().BoolVar(&failedOnly, "failed", false, "only failed and missed jobs")
	reportCmd.Flags().IntVar(&concurrency, "concurrency", backupapi.DefaultAllBackupJobsConcurrency, "users' jobs fetched at once")

	listCmd := command("list LOGIN", "The IDs of a user's backup jobs, per backup set", "backupapi ahsay jobs list alice", 1, 1,
		ahsayList(a, []column[backupapi.BackupSetJobs]{
			col("BACKUP SET", func(s backupapi.BackupSetJobs) string { return s.BackupSetID }),
			col("REMOVED", func(s backupapi.BackupSetJobs) string { return yesNo(bool(s.Removed)) }),
			col("JOBS", func(s backupapi.BackupSetJobs) string { return strings.Join(s.BackupJobs, " ") }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.BackupSetJobs, error) {
			return c.ListBackupJobs(cmd.Context(), &backupapi.ListBackupJobsRequest{UserRef: u(args[0])})
		}))
	var statusDate string
	statusCmd := command("status LOGIN", "A user's backup jobs of a date", "backupapi ahsay jobs status alice --date 2026-11-23", 1, 1,
		ahsayList(a, jobColumns, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.UserBackupJob, error) {
			day, err := parseDate(statusDate, time.Now())
			if err != nil {
				return nil, err
			}
			recs, err := c.ListBackupJobStatus(cmd.Context(), &backupapi.ListBackupJobStatusRequest{UserRef: u(args[0]), Date: day})
			rows := make([]backupapi.UserBackupJob, len(recs))
			for i, r := range recs {
				rows[i] = backupapi.UserBackupJob{User: u(args[0]), BackupJobRecord: r}
			}
			return rows, err
		}))
	statusCmd.Flags().StringVar(&statusDate, "date", "yesterday", "the day: yyyy-MM-dd, today or yesterday")
	var modeDate, modeSet string
	modeCmd := command("mode LOGIN", "How a user's backup jobs of a date were started", "backupapi ahsay jobs mode alice --date 2026-11-23", 1, 1,
		ahsayList(a, []column[backupapi.BackupJobModeRecord]{
			col("BACKUP SET", func(r backupapi.BackupJobModeRecord) string { return r.BackupSetName }),
			col("MODE", func(r backupapi.BackupJobModeRecord) string { return string(r.Mode) }),
			col("START", func(r backupapi.BackupJobModeRecord) string { return stamp(r.StartTime.Time) }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.BackupJobModeRecord, error) {
			day, err := parseDate(modeDate, time.Now())
			if err != nil {
				return nil, err
			}
			return c.ListBackupJobMode(cmd.Context(), &backupapi.ListBackupJobModeRequest{UserRef: u(args[0]), BackupSetID: modeSet, Date: day})
		}))
	modeCmd.Flags().StringVar(&modeDate, "date", "yesterday", "the day")
	modeCmd.Flags().StringVar(&modeSet, "set", "", "one backup set")

	var set, dest, jobID string
	var summary, cdp bool
	jobRef := func(login string) backupapi.BackupJobRef {
		return backupapi.BackupJobRef{UserRef: u(login), BackupSetID: set, DestinationID: dest, BackupJobID: jobID}
	}
	jobFlags := func(cmd *cobra.Command) {
		cmd.Flags().StringVar(&set, "set", "", "the backup set's ID")
		cmd.Flags().StringVar(&dest, "dest", "", "the destination's ID")
		cmd.Flags().StringVar(&jobID, "job", "", "the job's ID (yyyy-MM-dd-HH-mm-ss)")
		_ = cmd.MarkFlagRequired("set")
		_ = cmd.MarkFlagRequired("job")
	}
	progressCmd := command("progress LOGIN", "A backup job's progress", "backupapi ahsay jobs progress alice --set 1 --dest 1687077949198 --job 2026-11-23-01-00-00", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			r := jobRef(args[0])
			p, err := c.GetBackupJobProgress(cmd.Context(), &r)
			if err != nil {
				return err
			}
			return emitOne(a, p, [][2]string{{"backup set", p.BackupSetName}, {"files", fmt.Sprintf("%d of %d", p.CurrentFileCount, p.TotalFileCount)},
				{"uploaded", p.UploadedFileSize.String() + " of " + p.TotalFileSize.String()}, {"started", stamp(p.StartTime.Time)}, {"ended", stamp(p.EndTime.Time)}})
		})
	jobFlags(progressCmd)
	jobReportCmd := command("job-report LOGIN", "One backup job's report", "backupapi ahsay jobs job-report alice --set 1 --dest 1687077949198 --job 2026-11-23-01-00-00", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			c, err := a.ahsayClient()
			if err != nil {
				return err
			}
			req := &backupapi.BackupJobReportRequest{BackupJobRef: jobRef(args[0]), Cdp: cdp}
			get := c.GetBackupJobReport
			if summary {
				get = c.GetBackupJobReportSummary
			}
			r, err := get(cmd.Context(), req)
			if err != nil {
				return err
			}
			return emitOne(a, r, [][2]string{{"status", string(r.Status)}, {"outcome", string(r.Status.Outcome())}, {"started", stamp(r.StartTime.Time)},
				{"ended", stamp(r.EndTime.Time)}, {"new files", fmt.Sprint(int64(r.NumOfNewFiles))}, {"new files size", r.TotalNewFilesSize.String()},
				{"warnings", fmt.Sprint(int64(r.NumOfWarnEntries))}, {"errors", fmt.Sprint(int64(r.NumOfErrorEntries))}})
		})
	jobFlags(jobReportCmd)
	jobReportCmd.Flags().BoolVar(&summary, "summary", false, "the summary report")
	jobReportCmd.Flags().BoolVar(&cdp, "cdp", false, "a continuous-data-protection job")
	var runSet, backupType string
	runCmd := command("run LOGIN", "Start a backup of a backup set", "backupapi ahsay jobs run alice --set 1687750405259", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			return a.ahsayDo(cmd, "backup started", func(c *backupapi.AhsayClient) error {
				return c.RunBackup(cmd.Context(), &backupapi.RunBackupRequest{UserRef: u(args[0]), BackupSetID: runSet, BackupType: backupType})
			})
		})
	runCmd.Flags().StringVar(&runSet, "set", "", "the backup set's ID")
	runCmd.Flags().StringVar(&backupType, "type", "", "the backup type, for database and VM sets")
	_ = runCmd.MarkFlagRequired("set")
	var cancelSet string
	cancelCmd := command("cancel-pending LOGIN", "Cancel a pending server-initiated backup", "backupapi ahsay jobs cancel-pending alice --set 1687750405259", 1, 1,
		func(cmd *cobra.Command, args []string) error {
			return a.ahsayDo(cmd, "cancelled", func(c *backupapi.AhsayClient) error {
				return c.CancelPendingBackup(cmd.Context(), &backupapi.CancelPendingBackupRequest{UserRef: u(args[0]), BackupSetID: cancelSet})
			})
		})
	cancelCmd.Flags().StringVar(&cancelSet, "set", "", "the backup set's ID")
	_ = cancelCmd.MarkFlagRequired("set")
	return group("jobs", "Backup jobs: one user's, or every user's of a date", reportCmd, listCmd, statusCmd, modeCmd, progressCmd, jobReportCmd, runCmd, cancelCmd)
}

func (a *app) ahsayRestores(u func(string) backupapi.UserRef) *cobra.Command {
	listCmd := command("list LOGIN", "The IDs of a user's restore jobs, per backup set", "backupapi ahsay restores list alice", 1, 1,
		ahsayList(a, []column[backupapi.BackupSetRestoreJobs]{
			col("BACKUP SET", func(s backupapi.BackupSetRestoreJobs) string { return s.BackupSetID }),
			col("JOBS", func(s backupapi.BackupSetRestoreJobs) string { return strings.Join(s.RestoreJobs, " ") }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.BackupSetRestoreJobs, error) {
			return c.ListRestoreJobs(cmd.Context(), u(args[0]))
		}))
	var date string
	statusCmd := command("status LOGIN", "A user's restore jobs of a date", "backupapi ahsay restores status alice --date 2026-11-23", 1, 1,
		ahsayList(a, []column[backupapi.RestoreJobRecord]{
			col("BACKUP SET", func(r backupapi.RestoreJobRecord) string { return r.BackupSetName }),
			col("OUTCOME", func(r backupapi.RestoreJobRecord) string { return string(r.Status.Outcome()) }),
			col("STATUS", func(r backupapi.RestoreJobRecord) string { return string(r.Status) }),
			col("START", func(r backupapi.RestoreJobRecord) string { return stamp(r.StartTime.Time) }),
			col("RESTORED", func(r backupapi.RestoreJobRecord) string { return r.RestoreSize.String() }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.RestoreJobRecord, error) {
			day, err := parseDate(date, time.Now())
			if err != nil {
				return nil, err
			}
			return c.ListRestoreJobStatus(cmd.Context(), &backupapi.ListRestoreJobStatusRequest{UserRef: u(args[0]), Date: day})
		}))
	statusCmd.Flags().StringVar(&date, "date", "yesterday", "the day")
	return group("restores", "Restore jobs", listCmd, statusCmd)
}

func (a *app) ahsaySystem() *cobra.Command {
	authCmd := command("auth", "Check the connection's own credentials (a health check)", "backupapi ahsay system auth", 0, 0,
		func(cmd *cobra.Command, _ []string) error {
			return a.ahsayDo(cmd, "ok", func(c *backupapi.AhsayClient) error { return c.AuthSystemUser(cmd.Context()) })
		})
	licenseCmd := command("license", "The server's licence", "backupapi ahsay system license", 0, 0, func(cmd *cobra.Command, _ []string) error {
		c, err := a.ahsayClient()
		if err != nil {
			return err
		}
		l, err := c.GetLicense(cmd.Context())
		if err != nil {
			return err
		}
		return emitOne(a, l, [][2]string{{"licensee", l.Licensee}, {"VMs", fmt.Sprintf("%d of %d", l.UsedVMQuota, l.VMQuota)},
			{"NAS", fmt.Sprintf("%d of %d", l.UsedNasQuota, l.NasQuota)}, {"Microsoft 365", fmt.Sprintf("%d of %d", l.UsedOffice365Quota, l.Office365Quota)},
			{"warning", l.Info}})
	})
	policyCmd := command("policy-groups", "The policy groups (their IDs filter users list)", "backupapi ahsay system policy-groups", 0, 0,
		ahsayList(a, []column[backupapi.PolicyGroup]{
			col("ID", func(g backupapi.PolicyGroup) string { return g.ID }),
			col("NAME", func(g backupapi.PolicyGroup) string { return g.Name }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) ([]backupapi.PolicyGroup, error) {
			return c.ListPolicyGroups(cmd.Context(), nil)
		}))
	userGroupsCmd := command("user-groups", "The user groups", "backupapi ahsay system user-groups", 0, 0,
		ahsayList(a, []column[backupapi.UserGroupInfo]{
			col("ID", func(g backupapi.UserGroupInfo) string { return g.ID }),
			col("NAME", func(g backupapi.UserGroupInfo) string { return g.Name }),
			col("USERS", func(g backupapi.UserGroupInfo) string { return fmt.Sprint(len(g.Users)) }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) ([]backupapi.UserGroupInfo, error) {
			return c.ListUserGroups(cmd.Context(), nil)
		}))
	sysUsersCmd := command("system-users", "The system users and their roles", "backupapi ahsay system system-users", 0, 0,
		ahsayList(a, []column[backupapi.SystemUser]{
			col("NAME", func(u backupapi.SystemUser) string { return u.Name }),
			col("ROLE", func(u backupapi.SystemUser) string { return u.Role }),
			col("STATUS", func(u backupapi.SystemUser) string { return u.Status }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) ([]backupapi.SystemUser, error) {
			return c.ListSystemUsers(cmd.Context(), nil)
		}))
	return group("system", "The server: credentials check, licence, groups, system users", authCmd, licenseCmd, policyCmd, userGroupsCmd, sysUsersCmd)
}
