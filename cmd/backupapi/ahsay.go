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
		"backupapi ahsay users list --search alice",
		a.ahsayUsers(u), a.ahsayContacts(u), a.ahsayStorage(u), a.ahsayRebuild(u), a.ahsayLive(), a.ahsayRunJobs(u),
		a.ahsaySets(u), a.ahsayJobs(u), a.ahsayRestores(u), a.ahsaySystem(), a.ahsayDoCommand())
	a.connectionFlags(c, ahsayProduct)
	settingsFirst(c, ahsayProduct)
	c.PersistentFlags().StringVar(&owner, "owner", "", "the backup user's owner (sub-admin or reseller), if any")
	return c
}

var userColumns = []column[backupapi.User]{
	col("LOGIN", func(u backupapi.User) any { return u.LoginName }),
	col("OWNER", func(u backupapi.User) any { return u.Owner }),
	col("CLIENT", func(u backupapi.User) any { return u.ClientType }),
	col("TYPE", func(u backupapi.User) any { return u.UserType }),
	col("STATUS", func(u backupapi.User) any { return u.Status }),
	col("USED", func(u backupapi.User) any { return u.QuotaUsed }),
	col("REGISTERED", func(u backupapi.User) any { return u.RegistrationDate }),
}

func (a *app) ahsayUsers(u func(string) backupapi.UserRef) *cobra.Command {
	var search, clientType string
	listCmd := a.command("list", "List backup users (streamed: the first lines come at once)", "backupapi ahsay users list --search alice -o csv", 0, 0,
		ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) (result, error) {
			return stream(c.AllUsers(cmd.Context(), &backupapi.ListUsersRequest{SearchStr: search, ClientType: backupapi.ClientType(clientType)}), userColumns), nil
		}))
	listCmd.Flags().StringVar(&search, "search", "", "login names containing this")
	listCmd.Flags().StringVar(&clientType, "client-type", "", "OBM or ACB")

	getCmd := a.command("get LOGIN", "Show a backup user", "backupapi ahsay users get alice", 1, 1,
		ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
			d, err := c.GetUser(cmd.Context(), u(args[0]))
			if err != nil {
				return nil, err
			}
			return one(d, userFields(d)...), nil
		}))

	var quota, email, addClient, userType, passwordFile string
	addCmd := a.command("add LOGIN", "Add a backup user (password from --user-password-file or a prompt)",
		"backupapi ahsay users add alice --quota 50GiB --email alice@example.com --user-password-file pw.txt", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			req := &backupapi.AddUserRequest{UserRef: u(args[0]), Email: email, ClientType: backupapi.ClientType(addClient), Type: backupapi.UserType(userType)}
			// AhsayCBS refuses a user without a destination quota (the
			// users it makes are per-destination: see AddUserRequest), so
			// the mistake is said before a password is asked for.
			if quota == "" {
				return nil, usagef("--quota is required: AhsayCBS refuses a user without a quota on its destination (e.g. --quota 50GiB)")
			}
			size, err := parseQuota(quota)
			if err != nil {
				return nil, err
			}
			req.QuotaList = []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: size}}
			pw, err := a.userPassword(passwordFile, args[0])
			if err != nil {
				return nil, err
			}
			req.Password = backupapi.Secret(pw)
			return a.ahsayAction(done("add user", args[0]), func(c *backupapi.AhsayClient) error { return c.AddUser(cmd.Context(), req) })
		})
	addCmd.Flags().StringVar(&quota, "quota", "", "quota on the AhsayCBS destination, e.g. 50GiB (required)")
	addCmd.Flags().StringVar(&email, "email", "", "the user's e-mail")
	addCmd.Flags().StringVar(&addClient, "client-type", "", "OBM or ACB")
	addCmd.Flags().StringVar(&userType, "type", "", "TRIAL or PAID")
	addCmd.Flags().StringVar(&passwordFile, "user-password-file", "", "read the new user's password from this file")

	var notes, alias, updQuota string
	updateCmd := a.command("update LOGIN", "Change a backup user: only what is given", "backupapi ahsay users update alice --notes VIP --quota 75GiB", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
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
					return nil, err
				}
				req.QuotaList = []backupapi.Quota{{Enabled: true, DestinationKey: "OBS", Quota: size}}
			}
			return a.ahsayAction(done("update user", args[0]), func(c *backupapi.AhsayClient) error { return c.UpdateUser(cmd.Context(), req) })
		})
	updateCmd.Flags().StringVar(&notes, "notes", "", "the user's notes")
	updateCmd.Flags().StringVar(&alias, "alias", "", "the user's alias")
	updateCmd.Flags().StringVar(&updQuota, "quota", "", "quota on the AhsayCBS destination, e.g. 75GiB")

	status := func(use, short string, s backupapi.UserStatus) *cobra.Command {
		return a.command(use+" LOGIN", short, "backupapi ahsay users "+use+" alice", 1, 1, func(cmd *cobra.Command, args []string) (result, error) {
			return a.ahsayAction(done(use+" user", args[0]), func(c *backupapi.AhsayClient) error {
				return c.ModifyUserStatus(cmd.Context(), &backupapi.ModifyUserStatusRequest{UserRef: u(args[0]), Status: s})
			})
		})
	}
	removeCmd := a.command("remove LOGIN", "Remove a backup user", "backupapi ahsay users remove alice", 1, 1, func(cmd *cobra.Command, args []string) (result, error) {
		return a.ahsayAction(done("remove user", args[0]), func(c *backupapi.AhsayClient) error { return c.RemoveUser(cmd.Context(), u(args[0])) })
	})
	var authFile string
	authCmd := a.command("auth LOGIN", "Check a backup user's password (from --user-password-file or a prompt)", "backupapi ahsay users auth alice --user-password-file pw.txt", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			pw, err := a.userPassword(authFile, args[0])
			if err != nil {
				return nil, err
			}
			return a.ahsayAction(&action{Action: "check password of", Target: args[0], Status: "valid"}, func(c *backupapi.AhsayClient) error {
				return c.AuthUser(cmd.Context(), &backupapi.AuthUserRequest{UserRef: u(args[0]), Password: backupapi.Secret(pw)})
			})
		})
	authCmd.Flags().StringVar(&authFile, "user-password-file", "", "read the password to check from this file")
	forgotCmd := a.command("forgot-password LOGIN", "E-mail the user a password reset", "backupapi ahsay users forgot-password alice", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			return a.ahsayAction(&action{Action: "send password reset to", Target: args[0], Status: "sent"}, func(c *backupapi.AhsayClient) error {
				return c.SendForgotPasswordEmail(cmd.Context(), u(args[0]))
			})
		})
	auaCmd := a.command("aua on|off LOGIN...", "Turn the Auto Update Agent on or off", "backupapi ahsay users aua on alice bob", 2, -1,
		func(cmd *cobra.Command, args []string) (result, error) {
			if args[0] != "on" && args[0] != "off" {
				return nil, usagef("aua %q: want on or off", args[0])
			}
			return a.ahsayAction(done("turn auto update "+args[0]+" for", strings.Join(args[1:], " ")), func(c *backupapi.AhsayClient) error {
				return c.UpdateAUA(cmd.Context(), &backupapi.UpdateAUARequest{Enabled: args[0] == "on", LoginNames: args[1:]})
			})
		})
	return group("users", "Backup users", "backupapi ahsay users list --search alice", listCmd, getCmd, addCmd, updateCmd,
		status("suspend", "Suspend a backup user", backupapi.UserStatusSuspended),
		status("enable", "Enable a backup user", backupapi.UserStatusEnable),
		removeCmd, authCmd, forgotCmd, auaCmd)
}

// userFields are what "users get" shows: who the user is and what the
// user has — the quota of each destination (the total storage quota only
// when the user's quota type uses it), the contacts' e-mails, the notes.
func userFields(d *backupapi.UserDetail) []field {
	fields := []field{{"login", d.Name}, {"owner", d.Owner}, {"alias", d.Alias}, {"client", d.ClientType},
		{"type", d.Type}, {"status", d.Status}, {"registered", d.RegistrationDate}, {"last login", d.LastLoginTime},
		{"quota type", d.QuotaType}}
	if d.QuotaType == backupapi.QuotaTotal {
		fields = append(fields, field{"total quota", d.StorageQuota})
	}
	for _, q := range d.QuotaList {
		name := q.DestinationKey
		if q.DestinationName != "" && q.DestinationName != name {
			name += " (" + q.DestinationName + ")"
		}
		if !q.Enabled {
			name += ", disabled"
		}
		fields = append(fields, field{"quota " + name, q.Quota})
	}
	emails := []string{}
	for _, c := range d.ContactList {
		if c.Email != "" {
			emails = append(emails, c.Email)
		}
	}
	return append(fields, field{"contacts", len(d.ContactList)}, field{"e-mail", strings.Join(emails, ", ")}, field{"notes", d.Notes})
}

// ahsayAction runs one state-changing call; its result is act.
func (a *app) ahsayAction(act *action, call func(*backupapi.AhsayClient) error) (result, error) {
	c, err := a.ahsayClient()
	if err != nil {
		return nil, err
	}
	if err := call(c); err != nil {
		return nil, err
	}
	return act, nil
}

func (a *app) ahsayContacts(u func(string) backupapi.UserRef) *cobra.Command {
	var name, email string
	contactFlags := func(cmd *cobra.Command) {
		cmd.Flags().StringVar(&name, "name", "", "the contact's name")
		cmd.Flags().StringVar(&email, "email", "", "the contact's e-mail")
	}
	addCmd := a.command("add LOGIN", "Add a contact", "backupapi ahsay contacts add alice --name Ops --email ops@example.com", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			return a.ahsayAction(done("add contact to", args[0]), func(c *backupapi.AhsayClient) error {
				return c.AddContact(cmd.Context(), &backupapi.AddContactRequest{UserRef: u(args[0]), Contact: backupapi.Contact{Name: name, Email: email}})
			})
		})
	contactFlags(addCmd)
	var emails []string
	many := func(use, short string, replace bool) *cobra.Command {
		cmd := a.command(use+" LOGIN", short, "backupapi ahsay contacts "+use+" alice --email a@example.com --email b@example.com", 1, 1,
			func(cmd *cobra.Command, args []string) (result, error) {
				req := &backupapi.ContactsRequest{UserRef: u(args[0])}
				for _, e := range emails {
					req.Contacts = append(req.Contacts, backupapi.Contact{Email: e})
				}
				return a.ahsayAction(done(use+" contacts of", args[0]), func(c *backupapi.AhsayClient) error {
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
	changeCmd := a.command("change LOGIN", "Replace one contact by another", "backupapi ahsay contacts change alice --old a@example.com --new b@example.com", 1, 1,
		ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
			d, err := c.GetUser(cmd.Context(), u(args[0]))
			if err != nil {
				return nil, err
			}
			for _, ct := range d.ContactList {
				if strings.EqualFold(ct.Email, oldEmail) {
					next := ct
					next.Email = newEmail
					if err := c.ChangeContacts(cmd.Context(), &backupapi.ChangeContactsRequest{UserRef: u(args[0]),
						Old: []backupapi.Contact{ct}, New: []backupapi.Contact{next}}); err != nil {
						return nil, err
					}
					return done("change contact of", args[0]), nil
				}
			}
			return nil, fmt.Errorf("%s has no contact %s: %w", args[0], oldEmail, backupapi.ErrNotFound)
		}))
	changeCmd.Flags().StringVar(&oldEmail, "old", "", "the e-mail of the contact to change")
	changeCmd.Flags().StringVar(&newEmail, "new", "", "its new e-mail")
	return group("contacts", "A backup user's contacts", "backupapi ahsay contacts append alice --email ops@example.com", addCmd, many("append", "Append contacts", false), many("replace", "Replace all contacts", true), changeCmd)
}

func (a *app) ahsayStorage(u func(string) backupapi.UserRef) *cobra.Command {
	var month string
	cmd := a.command("storage LOGIN", "A user's storage statistics for a month", "backupapi ahsay storage alice --month 2024-06", 1, 1,
		ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
			if month == "" {
				month = time.Now().Format("2006-01")
			}
			st, err := c.GetUserStorageStat(cmd.Context(), &backupapi.StorageStatRequest{UserRef: u(args[0]), YearMonth: month})
			if err != nil {
				return nil, err
			}
			var days []backupapi.DetailStat
			for _, m := range st.Months {
				days = append(days, m.Storage...)
			}
			return list(days, []column[backupapi.DetailStat]{
				col("DATE", func(d backupapi.DetailStat) any { return calendarDate(d.Date.Time) }),
				col("DESTINATION", func(d backupapi.DetailStat) any { return d.DestinationID }),
				col("DATA", func(d backupapi.DetailStat) any { return d.DataRawSize }),
				col("RETAINED", func(d backupapi.DetailStat) any { return d.RetainRawSize }),
				col("UPLOADED", func(d backupapi.DetailStat) any { return d.UploadRawSize }),
				col("TOTAL", func(d backupapi.DetailStat) any { return d.TotalStorageRawSize }),
			}), nil
		}))
	cmd.Flags().StringVar(&month, "month", "", "the month, yyyy-MM (default this month)")
	return cmd
}

func (a *app) ahsayRebuild(u func(string) backupapi.UserRef) *cobra.Command {
	var set string
	var wait, crc bool
	waitFor := func(cmd *cobra.Command, c *backupapi.AhsayClient, login string, since time.Time) (result, error) {
		return a.waitRebuild(cmd.Context(), c, &backupapi.WaitForRebuildRequest{UserRef: u(login), BackupSetID: set, StartedAfter: since})
	}
	runCmd := a.command("run LOGIN", "Rebuild a v6 backup set", "backupapi ahsay rebuild run alice --set 1687750405259 --wait", 1, 1,
		ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
			started := time.Now()
			if err := c.RunSingleUserRebuild(cmd.Context(), &backupapi.RebuildRequest{UserRef: u(args[0]), BackupSetID: set, CheckCrc: &crc}); err != nil {
				return nil, err
			}
			if !wait {
				return &action{Action: "rebuild backup set", Target: set, Status: "started"}, nil
			}
			return waitFor(cmd, c, args[0], started.Add(-backupapi.RebuildClockSkew))
		}))
	runCmd.Flags().BoolVar(&wait, "wait", false, "wait until it ends")
	a.addWaitFlags(runCmd, &wait)
	runCmd.Flags().BoolVar(&crc, "check-crc", false, "check CRCs")
	statusCmd := a.command("status LOGIN", "The user's most recent rebuild", "backupapi ahsay rebuild status alice", 1, 1,
		ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
			st, err := c.GetSingleUserRebuildStatus(cmd.Context(), u(args[0]))
			if err != nil {
				return nil, err
			}
			return one(st, field{"backup set", st.BackupSetID}, field{"status", st.Status},
				field{"started", st.StartTime}, field{"ended", st.EndTime}), nil
		}))
	var startedAfter string
	waitCmd := a.command("wait LOGIN", "Wait for the backup set's most recent rebuild to end (exit 1 when it fails)", "backupapi ahsay rebuild wait alice --set 1687750405259", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			since, err := parseStartedAfter(startedAfter, time.Now())
			if err != nil {
				return nil, err
			}
			c, err := a.ahsayClient()
			if err != nil {
				return nil, err
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
	return group("rebuild", "Backup-set rebuilds", "backupapi ahsay rebuild run alice --set 1687750405259 --wait", runCmd, statusCmd, waitCmd)
}

func (a *app) ahsayLive() *cobra.Command {
	var user string
	live := func(use string, t backupapi.JobType) *cobra.Command {
		cmd := a.command(use, "The "+string(t)+" jobs running now", "backupapi ahsay live "+use, 0, 0, ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) (result, error) {
			jobs, err := c.GetUserStatus(cmd.Context(), &backupapi.GetUserStatusRequest{Type: t, LoginName: user})
			if err != nil {
				return nil, err
			}
			return list(jobs, []column[backupapi.JobProgress]{
				col("LOGIN", func(j backupapi.JobProgress) any { return j.LoginName }),
				col("BACKUP SET", func(j backupapi.JobProgress) any { return j.BackupSet }),
				col("JOB", func(j backupapi.JobProgress) any { return j.JobID() }),
				col("PERCENT", func(j backupapi.JobProgress) any { return j.OverallPercent }),
				col("LAST MESSAGE", func(j backupapi.JobProgress) any { return j.LastMessage }),
			}), nil
		}))
		cmd.Flags().StringVar(&user, "user", "", "one user's jobs")
		return cmd
	}
	return group("live", "Jobs running now", "backupapi ahsay live backups --user alice", live("backups", backupapi.JobTypeBackup), live("restores", backupapi.JobTypeRestore))
}

func (a *app) ahsayRunJobs(u func(string) backupapi.UserRef) *cobra.Command {
	return a.command("run-jobs LOGIN", "A user's Run-on-Server jobs", "backupapi ahsay run-jobs alice", 1, 1,
		ahsayList(a, []column[backupapi.RunJob]{
			col("BACKUP SET", func(j backupapi.RunJob) any { return j.BackupSetID }),
			col("RUNNING", func(j backupapi.RunJob) any { return j.ExecuteJob }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.RunJob, error) {
			return c.GetServerRunJobStatus(cmd.Context(), u(args[0]))
		}))
}

func (a *app) ahsaySets(u func(string) backupapi.UserRef) *cobra.Command {
	var all bool
	listCmd := a.command("list LOGIN", "A user's backup sets", "backupapi ahsay sets list alice", 1, 1, ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
		sets, err := c.ListBackupSets(cmd.Context(), &backupapi.ListBackupSetsRequest{UserRef: u(args[0]), ListAll: all})
		if err != nil {
			return nil, err
		}
		return list(sets.Sets, []column[backupapi.BackupSet]{
			col("ID", func(s backupapi.BackupSet) any { return s.ID }),
			col("NAME", func(s backupapi.BackupSet) any { return s.Name }),
			col("TYPE", func(s backupapi.BackupSet) any { return s.Type }),
		}), nil
	}))
	listCmd.Flags().BoolVar(&all, "all", false, "all information, module usage included (ListAll)")
	getCmd := a.command("get LOGIN SET-ID", "A backup set's settings", "backupapi ahsay sets get alice 1687750405259", 2, 2, ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
		d, err := c.GetBackupSet(cmd.Context(), &backupapi.GetBackupSetRequest{UserRef: u(args[0]), BackupSetID: args[1]})
		if err != nil {
			return nil, err
		}
		dests := []string{}
		if d.DestinationSettings != nil {
			for _, x := range d.DestinationSettings.DestinationList {
				dests = append(dests, x.ID+" "+x.Name)
			}
		}
		return one(d, field{"id", d.BackupSetID}, field{"name", d.Name}, field{"compression", d.CompressType},
			field{"log retention days", d.LogRetentionDays}, field{"destinations", strings.Join(dests, ", ")}), nil
	}))
	return group("sets", "Backup sets", "backupapi ahsay sets list alice", listCmd, getCmd)
}

var jobColumns = []column[backupapi.UserBackupJob]{
	col("USER", func(j backupapi.UserBackupJob) any { return j.User.LoginName }),
	col("BACKUP SET", func(j backupapi.UserBackupJob) any { return j.BackupSetName }),
	col("OUTCOME", func(j backupapi.UserBackupJob) any { return j.Status.Outcome() }),
	col("STATUS", func(j backupapi.UserBackupJob) any { return j.Status }),
	col("START", func(j backupapi.UserBackupJob) any { return j.StartTime }),
	col("END", func(j backupapi.UserBackupJob) any { return j.EndTime }),
	col("UPLOADED", func(j backupapi.UserBackupJob) any { return j.UploadSize }),
}

func (a *app) ahsayJobs(u func(string) backupapi.UserRef) *cobra.Command {
	var date string
	var failedOnly bool
	var concurrency int
	reportCmd := a.command("report", "Every user's backup jobs of a date, across the server (exit 1 when one failed or was missed)",
		"backupapi ahsay jobs report --date yesterday --failed", 0, 0, func(cmd *cobra.Command, _ []string) (result, error) {
			day, err := parseDate(date, time.Now())
			if err != nil {
				return nil, err
			}
			c, err := a.ahsayClient()
			if err != nil {
				return nil, err
			}
			failures := 0
			var userErr error
			rows := func(yield func(backupapi.UserBackupJob, error) bool) {
				for job, err := range c.AllBackupJobs(cmd.Context(), &backupapi.AllBackupJobsRequest{Date: day, Concurrency: concurrency}) {
					if err != nil && job.User.LoginName != "" { // one user: report it, go on
						a.warn(fmt.Errorf("%s: %w", job.User.LoginName, err))
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
			return afterwards{stream(rows, jobColumns), func() error {
				if failures > 0 || userErr != nil {
					return errFailuresReported
				}
				return nil
			}}, nil
		})
	reportCmd.Flags().StringVar(&date, "date", "yesterday", "the day: yyyy-MM-dd, today or yesterday")
	reportCmd.Flags().BoolVar(&failedOnly, "failed", false, "only failed and missed jobs")
	reportCmd.Flags().IntVar(&concurrency, "concurrency", backupapi.DefaultAllBackupJobsConcurrency, "users' jobs fetched at once")

	listCmd := a.command("list LOGIN", "The IDs of a user's backup jobs, per backup set", "backupapi ahsay jobs list alice", 1, 1,
		ahsayList(a, []column[backupapi.BackupSetJobs]{
			col("BACKUP SET", func(s backupapi.BackupSetJobs) any { return s.BackupSetID }),
			col("REMOVED", func(s backupapi.BackupSetJobs) any { return s.Removed }),
			col("JOBS", func(s backupapi.BackupSetJobs) any { return s.BackupJobs }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.BackupSetJobs, error) {
			return c.ListBackupJobs(cmd.Context(), &backupapi.ListBackupJobsRequest{UserRef: u(args[0])})
		}))
	var statusDate string
	statusCmd := a.command("status LOGIN", "A user's backup jobs of a date", "backupapi ahsay jobs status alice --date 2026-11-23", 1, 1,
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
	modeCmd := a.command("mode LOGIN", "How a user's backup jobs of a date were started", "backupapi ahsay jobs mode alice --date 2026-11-23", 1, 1,
		ahsayList(a, []column[backupapi.BackupJobModeRecord]{
			col("BACKUP SET", func(r backupapi.BackupJobModeRecord) any { return r.BackupSetName }),
			col("MODE", func(r backupapi.BackupJobModeRecord) any { return r.Mode }),
			col("START", func(r backupapi.BackupJobModeRecord) any { return r.StartTime }),
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
	progressCmd := a.command("progress LOGIN", "A backup job's progress", "backupapi ahsay jobs progress alice --set 1 --dest 1687077949198 --job 2026-11-23-01-00-00", 1, 1,
		ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
			r := jobRef(args[0])
			p, err := c.GetBackupJobProgress(cmd.Context(), &r)
			if err != nil {
				return nil, err
			}
			return one(p, field{"backup set", p.BackupSetName}, field{"files", p.CurrentFileCount}, field{"files in all", p.TotalFileCount},
				field{"uploaded", p.UploadedFileSize}, field{"to upload in all", p.TotalFileSize}, field{"started", p.StartTime}, field{"ended", p.EndTime}), nil
		}))
	jobFlags(progressCmd)
	jobReportCmd := a.command("job-report LOGIN", "One backup job's report", "backupapi ahsay jobs job-report alice --set 1 --dest 1687077949198 --job 2026-11-23-01-00-00", 1, 1,
		ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) (result, error) {
			req := &backupapi.BackupJobReportRequest{BackupJobRef: jobRef(args[0]), Cdp: cdp}
			get := c.GetBackupJobReport
			if summary {
				get = c.GetBackupJobReportSummary
			}
			r, err := get(cmd.Context(), req)
			if err != nil {
				return nil, err
			}
			return one(r, field{"status", r.Status}, field{"outcome", r.Status.Outcome()}, field{"started", r.StartTime},
				field{"ended", r.EndTime}, field{"new files", r.NumOfNewFiles}, field{"new files size", r.TotalNewFilesSize},
				field{"warnings", r.NumOfWarnEntries}, field{"errors", r.NumOfErrorEntries}), nil
		}))
	jobFlags(jobReportCmd)
	jobReportCmd.Flags().BoolVar(&summary, "summary", false, "the summary report")
	jobReportCmd.Flags().BoolVar(&cdp, "cdp", false, "a continuous-data-protection job")
	var runSet, backupType string
	runCmd := a.command("run LOGIN", "Start a backup of a backup set", "backupapi ahsay jobs run alice --set 1687750405259", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			return a.ahsayAction(&action{Action: "back up set " + runSet + " of", Target: args[0], Status: "started"}, func(c *backupapi.AhsayClient) error {
				return c.RunBackup(cmd.Context(), &backupapi.RunBackupRequest{UserRef: u(args[0]), BackupSetID: runSet, BackupType: backupType})
			})
		})
	runCmd.Flags().StringVar(&runSet, "set", "", "the backup set's ID")
	runCmd.Flags().StringVar(&backupType, "type", "", "the backup type, for database and VM sets")
	_ = runCmd.MarkFlagRequired("set")
	var cancelSet string
	cancelCmd := a.command("cancel-pending LOGIN", "Cancel a pending server-initiated backup", "backupapi ahsay jobs cancel-pending alice --set 1687750405259", 1, 1,
		func(cmd *cobra.Command, args []string) (result, error) {
			return a.ahsayAction(done("cancel pending backup of set "+cancelSet+" of", args[0]), func(c *backupapi.AhsayClient) error {
				return c.CancelPendingBackup(cmd.Context(), &backupapi.CancelPendingBackupRequest{UserRef: u(args[0]), BackupSetID: cancelSet})
			})
		})
	cancelCmd.Flags().StringVar(&cancelSet, "set", "", "the backup set's ID")
	_ = cancelCmd.MarkFlagRequired("set")
	return group("jobs", "Backup jobs: one user's, or every user's of a date", "backupapi ahsay jobs report --date yesterday --failed", reportCmd, listCmd, statusCmd, modeCmd, progressCmd, jobReportCmd, runCmd, cancelCmd)
}

func (a *app) ahsayRestores(u func(string) backupapi.UserRef) *cobra.Command {
	listCmd := a.command("list LOGIN", "The IDs of a user's restore jobs, per backup set", "backupapi ahsay restores list alice", 1, 1,
		ahsayList(a, []column[backupapi.BackupSetRestoreJobs]{
			col("BACKUP SET", func(s backupapi.BackupSetRestoreJobs) any { return s.BackupSetID }),
			col("JOBS", func(s backupapi.BackupSetRestoreJobs) any { return s.RestoreJobs }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.BackupSetRestoreJobs, error) {
			return c.ListRestoreJobs(cmd.Context(), u(args[0]))
		}))
	var date string
	statusCmd := a.command("status LOGIN", "A user's restore jobs of a date", "backupapi ahsay restores status alice --date 2026-11-23", 1, 1,
		ahsayList(a, []column[backupapi.RestoreJobRecord]{
			col("BACKUP SET", func(r backupapi.RestoreJobRecord) any { return r.BackupSetName }),
			col("OUTCOME", func(r backupapi.RestoreJobRecord) any { return r.Status.Outcome() }),
			col("STATUS", func(r backupapi.RestoreJobRecord) any { return r.Status }),
			col("START", func(r backupapi.RestoreJobRecord) any { return r.StartTime }),
			col("RESTORED", func(r backupapi.RestoreJobRecord) any { return r.RestoreSize }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, args []string) ([]backupapi.RestoreJobRecord, error) {
			day, err := parseDate(date, time.Now())
			if err != nil {
				return nil, err
			}
			return c.ListRestoreJobStatus(cmd.Context(), &backupapi.ListRestoreJobStatusRequest{UserRef: u(args[0]), Date: day})
		}))
	statusCmd.Flags().StringVar(&date, "date", "yesterday", "the day")
	return group("restores", "Restore jobs", "backupapi ahsay restores status alice --date yesterday", listCmd, statusCmd)
}

func (a *app) ahsaySystem() *cobra.Command {
	authCmd := a.command("auth", "Check the connection's own credentials (a health check)", "backupapi ahsay system auth", 0, 0,
		func(cmd *cobra.Command, _ []string) (result, error) {
			return a.ahsayAction(&action{Action: "check system credentials", Status: "ok"}, func(c *backupapi.AhsayClient) error {
				return c.AuthSystemUser(cmd.Context())
			})
		})
	licenseCmd := a.command("license", "The server's licence", "backupapi ahsay system license", 0, 0, ahsayRun(a, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) (result, error) {
		l, err := c.GetLicense(cmd.Context())
		if err != nil {
			return nil, err
		}
		return one(l, field{"licensee", l.Licensee}, field{"key", l.Key}, field{"VMs", fmt.Sprintf("%d of %d", l.UsedVMQuota, l.VMQuota)},
			field{"NAS", fmt.Sprintf("%d of %d", l.UsedNasQuota, l.NasQuota)}, field{"Microsoft 365", fmt.Sprintf("%d of %d", l.UsedOffice365Quota, l.Office365Quota)},
			field{"warning", l.Info}), nil
	}))
	policyCmd := a.command("policy-groups", "The policy groups (their IDs filter users list)", "backupapi ahsay system policy-groups", 0, 0,
		ahsayList(a, []column[backupapi.PolicyGroup]{
			col("ID", func(g backupapi.PolicyGroup) any { return g.ID }),
			col("NAME", func(g backupapi.PolicyGroup) any { return g.Name }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) ([]backupapi.PolicyGroup, error) {
			return c.ListPolicyGroups(cmd.Context(), nil)
		}))
	userGroupsCmd := a.command("user-groups", "The user groups", "backupapi ahsay system user-groups", 0, 0,
		ahsayList(a, []column[backupapi.UserGroupInfo]{
			col("ID", func(g backupapi.UserGroupInfo) any { return g.ID }),
			col("NAME", func(g backupapi.UserGroupInfo) any { return g.Name }),
			col("USERS", func(g backupapi.UserGroupInfo) any { return len(g.Users) }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) ([]backupapi.UserGroupInfo, error) {
			return c.ListUserGroups(cmd.Context(), nil)
		}))
	sysUsersCmd := a.command("system-users", "The system users and their roles", "backupapi ahsay system system-users", 0, 0,
		ahsayList(a, []column[backupapi.SystemUser]{
			col("NAME", func(u backupapi.SystemUser) any { return u.Name }),
			col("ROLE", func(u backupapi.SystemUser) any { return u.Role }),
			col("STATUS", func(u backupapi.SystemUser) any { return u.Status }),
		}, func(cmd *cobra.Command, c *backupapi.AhsayClient, _ []string) ([]backupapi.SystemUser, error) {
			return c.ListSystemUsers(cmd.Context(), nil)
		}))
	return group("system", "The server: credentials check, licence, groups, system users", "backupapi ahsay system auth", authCmd, licenseCmd, policyCmd, userGroupsCmd, sysUsersCmd)
}
