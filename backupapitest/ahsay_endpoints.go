package backupapitest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

func (s *AhsayServer) listUsers(req ahsayRequest, a *answer) {
	search := strings.ToLower(req.str("searchStr"))
	clientType := req.str("ClientType")
	reseller := req.str("reseller")
	days, hasDays := req.int64("Date")
	if !hasDays {
		if d := req.str("Date"); d != "" {
			_, err := fmt.Sscan(d, &days)
			hasDays = err == nil
		}
	}
	namesOnly, _ := req.boolean("LoginNameOnly")
	typesOnly, _ := req.boolean("ClientTypeOnly")
	users := []map[string]any{}
	for _, k := range s.userKeys() {
		u := s.users[k]
		switch {
		case search != "" && !strings.Contains(strings.ToLower(u.LoginName), search):
			continue
		case clientType != "" && !strings.EqualFold(u.ClientType, clientType):
			continue
		case reseller != "" && u.Owner != reseller:
			continue
		case hasDays && s.now().Sub(u.RegistrationDate) > time.Duration(days)*24*time.Hour:
			continue
		}
		if namesOnly || typesOnly {
			users = append(users, map[string]any{"ID": u.ID, "LoginName": u.LoginName, "Owner": u.Owner,
				"UserId": u.LoginName, "ClientType": u.ClientType, "QuotaUsed": s.quotaUsedOf(u)})
			continue
		}
		users = append(users, s.listEntry(u))
	}
	a.ok(map[string]any{"User": users})
}

// listEntry renders a user as ListUsers does.
func (s *AhsayServer) listEntry(u *AhsayUser) map[string]any {
	e := map[string]any{
		"ID": u.ID, "LoginName": u.LoginName, "Owner": u.Owner, "UserId": u.LoginName, "Alias": u.Alias,
		"UserType": u.Type, "ClientType": u.ClientType, "QuotaUsed": s.quotaUsedOf(u), "Online": false, "Timezone": "1098",
		"Language": u.Language, "DataFile": 0, "DataSize": 0, "RetainFile": 0, "RetainSize": 0, "Bandwidth": 0,
		"Notes": u.Notes, "Status": u.Status, "RegistrationDate": u.RegistrationDate.UnixMilli(),
		"SuspendPaidUser": false, "SuspendPaidUserDate": "", "LastBackupDate": s.lastBackupMillis(u), "Hostname": "",
		"LdapUser": false, "LdapDeleteUser": -1, "LdapDisableUser": -1, "ExpiryDate": 0, "LatestClientVersion": "",
		"UserGroupIDList": s.groupsOf(u),
		"UserHome":        `C:\Program Files\AhsayCBS\user\` + u.LoginName, "Contact": renderContacts(u.Contacts),
		"QuotaList": renderQuotas(u.Quotas), "QuotaType": u.QuotaType, "StorageQuota": u.StorageQuota,
		"MobileUsage": map[string]any{"MSExMailbox": 0, "HostCount": 1, "MSHyperVVM": 0, "VMwareCM": 0},
	}
	for k, v := range u.Modules {
		if strings.HasPrefix(k, "Enable") {
			e[k] = v
		}
	}
	return e
}

func renderContacts(cs []AhsayContact) []map[string]any {
	out := []map[string]any{}
	for _, c := range cs {
		out = append(out, map[string]any{"Name": c.Name, "Email": c.Email, "Company": c.Company, "Address": c.Address,
			"Website": c.Website, "Phone1": c.Phone1, "Phone2": c.Phone2, "Id": c.ID, "ReadOnly": false,
			"EmailCertificate": "", "EncryptEmail": false})
	}
	return out
}

func renderQuotas(qs []AhsayQuota) []map[string]any {
	out := []map[string]any{}
	for _, q := range qs {
		out = append(out, map[string]any{"DestinationKey": q.DestinationKey, "Quota": q.Quota, "DestinationName": q.DestinationName, "Enabled": q.Enabled})
	}
	return out
}

func (s *AhsayServer) authUser(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	if req.str("Password") != u.Password {
		a.fail("[Error] Incorrect password for user ‘"+u.LoginName+"’", exptDbs)
		return
	}
	a.ok(nil)
}

func (s *AhsayServer) getUser(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	modules := map[string]any{"ReadOnly": false, "Id": ""}
	for k, v := range u.Modules {
		if !strings.HasPrefix(k, "Enable") {
			modules[k] = v
		}
	}
	never := int64(-1)
	a.ok(map[string]any{"Data": map[string]any{
		"Id": u.ID, "Name": u.LoginName, "UserId": u.LoginName, "LongLoginName": u.LoginName, "Owner": u.Owner,
		"Alias": u.Alias, "Type": u.Type, "ClientType": u.ClientType, "Status": u.Status, "Language": u.Language,
		"Timezone": "1098", "Notes": u.Notes, "Hostname": "cbs.example.com", "ClientRunVersion": "",
		"AccessToken": "E1C9029954184F92B858280B9A6A3EBA", "Password": "BSJEajFurvvTdkh1V4+1Asgw6wjjIpkgK3rJ00y5S87B0=",
		"HashedPassword": true, "RegistrationDate": u.RegistrationDate.UnixMilli(), "LastClientLoginTime": never,
		"LastLoginTime": 0, "ImportDate": 0, "TrialDays": 2592000000, "EnableAUA": u.EnableAUA,
		"QuotaType": u.QuotaType, "StorageQuota": u.StorageQuota, "QuotaList": renderQuotas(u.Quotas),
		"ContactList": renderContacts(u.Contacts), "ModuleSettings": modules, "BackupSetIdList": append([]string{}, u.BackupSets...),
		"UserHome": `C:\Program Files\AhsayCBS\user\` + u.LoginName, "HostSet": map[string]string{"": ""}, "HostInfo": "",
		"GroupPolicySettings":     map[string]any{"UserGroupIDList": []int{-1}, "GroupQuota": 0, "FileSizeLimit": 0},
		"RoutineJobSettings":      map[string]any{"QuotaRemindPercentage": 0, "InactiveReportLastSentTime": never},
		"UserSuspendSettings":     map[string]any{"Enabled": false, "Date": 0},
		"LastSuccessfulLoginInfo": nil, "class": "com.ahsay.obs.core.cxp.User",
	}})
}

func (s *AhsayServer) addUser(req ahsayRequest, a *answer) {
	login := req.str("LoginName")
	switch {
	case login == "":
		a.fail("[Error] Parameter LoginName is null / empty!", exptDbs)
		return
	case req.str("Password") == "":
		a.fail("[Error] Parameter Password is null / empty!", exptDbs)
		return
	}
	owner := req.str("Owner")
	if _, exists := s.users[userKey(owner, login)]; exists {
		a.fail("[Error] User ‘"+login+"’ already exists", exptDbs)
		return
	}
	quotas, ok := s.quotaList(req, login, a)
	if !ok {
		return
	}
	if len(quotas) == 0 && !strings.EqualFold(req.str("QuotaType"), "TOTAL_QUOTA") {
		// "Mandatory if QuotaType is PER_DESTINATION_QUOTA or if QuotaType
		// is not specified", in the reference's wording for a missing
		// parameter (UpdateAUA's example).
		a.fail("[Error] Parameter QuotaList is null / empty!", exptDbs)
		return
	}
	u := &AhsayUser{LoginName: login, Owner: owner, Password: req.str("Password"), Email: req.str("Email"),
		Alias: req.str("DisplayName"), ClientType: strings.ToUpper(req.str("ClientType")), Type: strings.ToUpper(req.str("Type")),
		Language: req.str("Language"), Notes: req.str("Notes"), QuotaType: strings.ToUpper(req.str("QuotaType")), Quotas: quotas}
	if strings.EqualFold(req.str("Status"), "SUSPENDED") {
		u.Status = "SUSPENDED"
	}
	if n, ok := req.int64("StorageQuota"); ok {
		u.StorageQuota = n
	}
	u.EnableAUA, _ = req.boolean("EnableAUA")
	for k := range req.raw {
		if strings.HasPrefix(k, "Enable") && k != "EnableAUA" {
			if u.Modules == nil {
				u.Modules = map[string]any{}
			}
			v, _ := req.boolean(k)
			u.Modules[k] = v
		}
	}
	s.addUserLocked(u)
	a.ok(nil)
}

// quotaList validates a QuotaList as the reference's error examples show.
func (s *AhsayServer) quotaList(req ahsayRequest, login string, a *answer) ([]AhsayQuota, bool) {
	raw, present := req.json("QuotaList")
	if !present {
		return nil, true
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		a.fail("Invalid ‘QuotaList’.", exptJava)
		return nil, false
	}
	var out []AhsayQuota
	seen := map[string]bool{}
	for _, it := range items {
		key := ahsayRequest{it}.str("DestinationKey")
		q := AhsayQuota{DestinationKey: key}
		en, ok := it["Enabled"]
		if !ok {
			a.fail("Value ‘Enabled’ is missing in item ‘"+key+"’ of ‘QuotaList’.", exptJava)
			return nil, false
		}
		if err := json.Unmarshal(en, &q.Enabled); err != nil {
			a.fail("Invalid ‘Enabled’ in item ‘"+key+"’ of ‘QuotaList’.", exptJava)
			return nil, false
		}
		if seen[key] {
			a.fail("Duplicated DestinationKey ("+key+") are not allowed in the QuotaList.", exptJava)
			return nil, false
		}
		seen[key] = true
		if qv, ok := it["Quota"]; ok {
			if err := json.Unmarshal(qv, &q.Quota); err != nil {
				a.fail(fmt.Sprintf("Invalid value ‘Quota’ for item ‘%s’ of ‘QuotaList’. Error: JSONObject [\"Quota\"] is not a long (class java.lang.String: %s).", key, strings.Trim(string(qv), `"`)), exptJava)
				return nil, false
			}
			if q.Quota < 0 {
				a.fail("Invalid value for ‘Quota’ for item ‘"+key+"’ of ‘QuotaList’. Error: Must be a positive number.", exptJava)
				return nil, false
			}
		}
		name, visible := s.destinations[key]
		if !visible {
			a.fail("Destination ‘"+key+"’ is not visible to user ‘"+login+"’ according to policy’s [Destinations Visible to Users] settings.", exptJava)
			return nil, false
		}
		q.DestinationName = name
		out = append(out, q)
	}
	return out, true
}

func (s *AhsayServer) updateUser(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	quotas, ok := s.quotaList(req, u.LoginName, a)
	if !ok {
		return
	}
	contacts := slices.Clone(u.Contacts)
	switch {
	case req.str("ChangeContact") == "Y":
		var olds, news []AhsayContact
		_ = json.Unmarshal(req.jsonOrNull("OldContact"), &olds)
		_ = json.Unmarshal(req.jsonOrNull("NewContact"), &news)
		for _, o := range olds {
			i := slices.IndexFunc(contacts, func(c AhsayContact) bool { return strings.EqualFold(c.Email, o.Email) })
			if i < 0 {
				a.fail("", "") // the reference answers a bare {"Status":"Error"} here
				return
			}
			contacts = slices.Delete(contacts, i, i+1)
		}
		if !s.appendContacts(&contacts, news, a) {
			return
		}
	case req.has("AppendContact"):
		var add []AhsayContact
		_ = json.Unmarshal(req.jsonOrNull("Contact"), &add)
		if req.str("AppendContact") != "Y" {
			contacts = nil
		}
		if !s.appendContacts(&contacts, add, a) {
			return
		}
	}
	u.Contacts = contacts
	if quotas != nil {
		u.Quotas = quotas
	}
	for key, field := range map[string]*string{"Alias": &u.Alias, "Notes": &u.Notes, "Language": &u.Language, "Password": &u.Password} {
		if req.has(key) {
			*field = req.str(key)
		}
	}
	for key, field := range map[string]*string{"Status": &u.Status, "Type": &u.Type, "ClientType": &u.ClientType, "QuotaType": &u.QuotaType} {
		if req.has(key) {
			*field = strings.ToUpper(req.str(key))
		}
	}
	if n, ok := req.int64("StorageQuota"); ok {
		u.StorageQuota = n
	}
	if v, ok := req.boolean("EnableAUA"); ok {
		u.EnableAUA = v
	}
	if raw, ok := req.json("ModuleSettings"); ok {
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		if u.Modules == nil {
			u.Modules = map[string]any{}
		}
		for k, v := range m {
			u.Modules[k] = v
		}
	}
	a.ok(nil)
}

// appendContacts adds contacts, refusing an e-mail the list already has.
func (s *AhsayServer) appendContacts(list *[]AhsayContact, add []AhsayContact, a *answer) bool {
	for _, c := range add {
		if c.Email != "" && slices.ContainsFunc(*list, func(o AhsayContact) bool { return strings.EqualFold(o.Email, c.Email) }) {
			a.fail("[UpdateUserProfile.checkDuplicatedEmail] Contact already exists <"+c.Email+">", exptDbs)
			return false
		}
		c.ID = s.newIDLocked()
		*list = append(*list, c)
	}
	return true
}

func (s *AhsayServer) addContact(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	var c AhsayContact
	raw, ok := req.json("NewContact")
	if err := json.Unmarshal(raw, &c); !ok || err != nil {
		a.fail("[Error] Parameter NewContact is null / empty!", exptDbs)
		return
	}
	contacts := slices.Clone(u.Contacts)
	if !s.appendContacts(&contacts, []AhsayContact{c}, a) {
		return
	}
	u.Contacts = contacts
	a.ok(nil)
}

func (s *AhsayServer) modifyUserStatus(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	status := strings.ToUpper(req.str("Status"))
	if status != "ENABLE" && status != "SUSPENDED" {
		a.fail("[Error] Invalid Status ‘"+req.str("Status")+"’", exptDbs)
		return
	}
	u.Status = status
	a.ok(nil)
}

func (s *AhsayServer) removeUser(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	delete(s.users, userKey(u.Owner, u.LoginName))
	a.ok(nil)
}

func (s *AhsayServer) sendForgotPwdEmail(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	s.forgotEmails[userKey(u.Owner, u.LoginName)]++
	a.ok(nil)
}

func (s *AhsayServer) updateAUA(req ahsayRequest, a *answer) {
	enabled, ok := req.boolean("Enabled")
	if !ok {
		a.fail("[Error] Parameter Enabled is null / empty!", exptDbs)
		return
	}
	var targets []*AhsayUser
	for _, name := range strings.Split(req.str("UserIdList"), ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		u, found := s.users[userKey("", name)]
		if !found {
			noSuchUser(a, name)
			return
		}
		targets = append(targets, u)
	}
	if len(targets) == 0 {
		a.fail("[Error] Parameter UserIdList is null / empty!", exptDbs)
		return
	}
	for _, u := range targets {
		u.EnableAUA = enabled
	}
	a.ok(nil)
}

func (s *AhsayServer) getUserStorageStat(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	month := req.str("YearMonth")
	st, ok := s.stats[userKey(u.Owner, u.LoginName)][month]
	if !ok {
		a.fail("No storage log found", exptDbs)
		return
	}
	n := func(v int64) string { return fmt.Sprint(v) } // the server sends numbers as strings
	a.ok(map[string]any{"Data": map[string]any{        // an object, though documented as an array
		"YearMonth": month, "AvgDataSize": human(st.DataBytes), "AvgDataRawSize": n(st.DataBytes), "AvgDataNo": n(st.Files),
		"AvgUploadSize": human(st.UploadBytes), "AvgUploadRawSize": n(st.UploadBytes), "AvgUploadNo": n(st.Files),
		"AvgRetainSize": human(st.RetainBytes), "AvgRetainRawSize": n(st.RetainBytes), "AvgRetainNo": "0",
		"AvgTotalStorageSize": human(st.DataBytes + st.RetainBytes), "AvgTotalStorageRawSize": n(st.DataBytes + st.RetainBytes),
		"AvgTotalStorageNo": n(st.Files),
		"Storage": []map[string]any{{"Date": month + "-01", "DataSize": human(st.DataBytes), "DataRawSize": n(st.DataBytes),
			"DataNo": n(st.Files), "UploadSize": human(st.UploadBytes), "UploadRawSize": n(st.UploadBytes), "UploadNo": n(st.Files),
			"TotalStorageSize": human(st.DataBytes + st.RetainBytes), "TotalStorageRawSize": n(st.DataBytes + st.RetainBytes),
			"TotalRestoreSize": 0, "DestinationID": ""}},
	}})
}

// human writes a size the way AhsayCBS does: "5.25 M".
func human(b int64) string {
	units := []string{"", " k", " M", " G", " T"}
	f := float64(b)
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprint(b)
	}
	return strings.TrimSuffix(strings.TrimSuffix(fmt.Sprintf("%.2f", f), "0"), ".0") + units[i]
}

func (s *AhsayServer) runSingleUserRebuild(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	id := req.str("BackupSetID")
	if !slices.Contains(u.BackupSets, id) {
		// The reference's quirk: Status OK, with the error in Message and ExptType.
		a.ok(map[string]any{"Message": "Backup Set for ID='" + id + "' not found", "ExptType": exptDbs})
		return
	}
	s.rebuilds[userKey(u.Owner, u.LoginName)] = &rebuildState{backupSetID: id, start: s.now()}
	a.ok(nil)
}

// getSingleUserRebuildStatus moves a rebuild along one step per poll:
// "Not yet started", then "Running", then "Finished" (or at once to
// "Finished" when the job duration has passed on the server's clock).
func (s *AhsayServer) getSingleUserRebuildStatus(req ahsayRequest, a *answer) {
	u := s.lookup(req, a)
	if u == nil {
		return
	}
	rb := s.rebuilds[userKey(u.Owner, u.LoginName)]
	data := map[string]any{"Status": "Not yet started", "LoginName": u.LoginName, "EndTime": -1, "StartTime": -1, "BackupSetID": ""}
	if rb != nil {
		rb.polls++
		data["BackupSetID"] = rb.backupSetID
		switch {
		case rb.polls >= 3 || !s.now().Before(rb.start.Add(s.jobLength)): // the clock moves rebuilds too
			data["Status"], data["StartTime"], data["EndTime"] = "Finished", rb.start.UnixMilli(), s.now().UnixMilli()
		case rb.polls == 2:
			data["Status"], data["StartTime"] = "Running", rb.start.UnixMilli()
		}
	}
	a.ok(map[string]any{"Data": data})
}

func (s *AhsayServer) getUserStatus(req ahsayRequest, a *answer) {
	restore := strings.EqualFold(req.str("Type"), "restore")
	jobs := []map[string]any{}
	for _, j := range append(slices.Clone(s.live), s.runningBackups()...) {
		if j.Restore != restore {
			continue
		}
		u := s.users[userKey("", j.LoginName)]
		client, userID := "OBM", ""
		if u != nil {
			client, userID = u.ClientType, u.ID
		}
		e := map[string]any{"LoginName": j.LoginName, "Owner": "", "ClientType": client, "UserID": userID, "Alias": j.LoginName,
			"UserType": "PAID", "Type": "FILE", "BackupSet": j.BackupSet, "BackupSetID": j.BackupSetID, "DestinationID": AhsayDestinationID,
			"DestinationName": "AhsayCBS", "DestinationType": "OBS", "OverallPercent": fmt.Sprint(j.Percent), "BackupStatus": "info",
			"LastMessage": "", "LastUpdateTime": s.now().Format("01/02/2006 15:04:05"), "EstimatedTimeLeft": "0 sec", "SizeLeft": "0",
			"UploadedSize": "0", "TransferRate": "0bit/s", "CurrentFile": "", "UploadedNumOfFiles": "0", "UploadedNumOfDirs": "0",
			"UploadedNumOfLinks": "0", "ElapsedTime": "4 sec", "CurrentFilePercent": "0", "CurrentFileType": "", "CurrentFileOperation": "",
			"DeltaFile": "", "DeltaFilePercent": "0", "DeltaType": "", "ID": "0"}
		if restore {
			e["RestoreJobID"] = j.JobID
		} else {
			e["BackupJobID"] = j.JobID
		}
		jobs = append(jobs, e)
	}
	if restore {
		a.ok(map[string]any{"RestoreStatus": jobs})
		return
	}
	a.ok(map[string]any{"BkpStatus": jobs})
}

func (s *AhsayServer) getServerRunJobStatus(req ahsayRequest, a *answer) {
	login := req.str("User")
	if login == "" {
		login = req.str("LoginName") // the reference's example sends LoginName
	}
	u, ok := s.users[userKey(req.str("Owner"), login)]
	if !ok {
		noSuchUser(a, login)
		return
	}
	jobs := []map[string]any{}
	set := s.runJobs[userKey(u.Owner, u.LoginName)]
	if set == nil {
		for _, id := range u.BackupSets {
			set = append(set, AhsayRunJob{BackupSetID: id})
		}
	}
	for _, j := range set {
		jobs = append(jobs, map[string]any{"BackupSetID": j.BackupSetID, "ExecuteJob": j.ExecuteJob})
	}
	a.ok(map[string]any{"RunJob": jobs})
}
