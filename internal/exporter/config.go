// Package exporter is the Prometheus exporter behind "backupapi exporter":
// a background refresh per target into immutable snapshots, and a
// prometheus.Collector that serves the last completed snapshot, so that a
// scrape never waits on a backup server.
package exporter

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/backupapi/backupapi"
	"github.com/backupapi/backupapi/internal/age"
	"go.yaml.in/yaml/v3"
)

// Target types.
const (
	TypeAhsay    = "ahsay"
	TypeXClarity = "xclarity"
)

// Modes of an AhsayCBS target.
const (
	ModeSets  = "sets"  // every set: AllBackupSetFreshness
	ModeUsers = "users" // the fast path: ListUsers alone
)

// Defaults of the config file.
const (
	DefaultListen           = "127.0.0.1:9877"
	DefaultAhsayInterval    = 5 * time.Minute
	DefaultXClarityInterval = 15 * time.Minute
)

// Config is the exporter's config file.
type Config struct {
	Listen  string   `yaml:"listen"`
	Web     Web      `yaml:"web"`
	Targets []Target `yaml:"targets"`
}

// Web is how the exporter serves: TLS and basic auth, both optional.
type Web struct {
	TLSCertFile string `yaml:"tls_cert_file"`
	TLSKeyFile  string `yaml:"tls_key_file"`
	// BasicAuthUser and BasicAuthPasswordFile (or BasicAuthPasswordEnv)
	// protect every path but /-/healthy.
	BasicAuthUser         string `yaml:"basic_auth_user"`
	BasicAuthPasswordFile string `yaml:"basic_auth_password_file"`
	BasicAuthPasswordEnv  string `yaml:"basic_auth_password_env"`
}

// Target is one AhsayCBS server or XClarity appliance.
type Target struct {
	Name string `yaml:"name"` // the target label; [a-zA-Z0-9_.-]+
	Type string `yaml:"type"` // ahsay or xclarity
	URL  string `yaml:"url"`
	// User, or UserEnv naming the variable that holds it.
	User    string `yaml:"user"`
	UserEnv string `yaml:"user_env"`
	// PasswordEnv names the variable holding the password, or
	// PasswordFile a file whose first line is it. There is no password
	// key: a config file is read by too many eyes.
	PasswordEnv  string `yaml:"password_env"`
	PasswordFile string `yaml:"password_file"`
	CAFile       string `yaml:"ca_file"`
	AllowHTTP    bool   `yaml:"allow_http"`
	// Interval between refreshes (default 5m for ahsay, 15m for
	// xclarity); Timeout bounds one refresh (default: the interval).
	Interval Age `yaml:"interval"`
	Timeout  Age `yaml:"timeout"`
	// KeepLastGood is how long a failing target's last good values stay
	// served (default 3 intervals); see the package's README section.
	KeepLastGood Age `yaml:"keep_last_good"`

	// AhsayCBS only.
	Mode        string `yaml:"mode"` // sets (default) or users
	Concurrency int    `yaml:"concurrency"`
	Lookback    int    `yaml:"lookback"`
	Schedules   bool   `yaml:"schedules"`
	License     *bool  `yaml:"license"` // read GetLicense (default true)

	Freshness Freshness `yaml:"freshness"`

	secrets *secrets // where credentials() records what it read, for the logs
}

// Freshness is a target's freshness policy.
type Freshness struct {
	Warn          Age        `yaml:"warn"`
	Critical      Age        `yaml:"critical"`
	FailWarn      int        `yaml:"fail_warn"`
	FailCritical  int        `yaml:"fail_critical"`
	ScheduleGrace Age        `yaml:"schedule_grace"`
	Overrides     []Override `yaml:"overrides"`
}

// Override is a FreshnessOverride in the config file.
type Override struct {
	Owner    string `yaml:"owner"`
	Login    string `yaml:"login"`
	Set      string `yaml:"set"`
	Warn     Age    `yaml:"warn"`
	Critical Age    `yaml:"critical"`
	Ignore   bool   `yaml:"ignore"`
}

// Age is a duration in the config file: 90s, 5m, 26h, 8d, 1w.
type Age time.Duration

// UnmarshalYAML reads an age.
func (a *Age) UnmarshalYAML(n *yaml.Node) error {
	d, err := age.Parse(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*a = Age(d)
	return nil
}

// Policy is the SDK's policy for the target.
func (f Freshness) Policy() backupapi.FreshnessPolicy {
	p := backupapi.FreshnessPolicy{Warn: time.Duration(f.Warn), Critical: time.Duration(f.Critical),
		FailuresWarn: f.FailWarn, FailuresCritical: f.FailCritical, ScheduleGrace: time.Duration(f.ScheduleGrace)}
	for _, o := range f.Overrides {
		p.Overrides = append(p.Overrides, backupapi.FreshnessOverride{Owner: o.Owner, Login: o.Login, Set: o.Set,
			Warn: time.Duration(o.Warn), Critical: time.Duration(o.Critical), Ignore: o.Ignore})
	}
	return p
}

var targetName = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

// LoadConfig reads and checks a config file.
func LoadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseConfig(b)
}

// ParseConfig parses a config file's text, fills the defaults and checks
// it: unknown keys, duplicate or malformed names, a target without URL or
// password source are errors.
func ParseConfig(b []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("config: %w", readableConfigError(err))
	}
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if len(c.Targets) == 0 {
		return nil, errors.New("config: no targets")
	}
	if err := c.Web.check(); err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	seen := map[string]bool{}
	for i := range c.Targets {
		t := &c.Targets[i]
		if err := t.check(); err != nil {
			return nil, fmt.Errorf("config: target %d (%q): %w", i+1, t.Name, err)
		}
		if seen[t.Name] {
			return nil, fmt.Errorf("config: target %q twice", t.Name)
		}
		seen[t.Name] = true
	}
	return &c, nil
}

func (t *Target) check() error {
	switch {
	case !targetName.MatchString(t.Name):
		return errors.New("name: want letters, digits, '_', '.' or '-'")
	case t.URL == "":
		return errors.New("no url")
	case t.User == "" && t.UserEnv == "":
		return errors.New("no user or user_env")
	case t.PasswordEnv == "" && t.PasswordFile == "":
		return errors.New("no password_env or password_file")
	}
	if err := t.checkValues(); err != nil {
		return err
	}
	switch t.Type {
	case TypeAhsay:
		if t.Interval == 0 {
			t.Interval = Age(DefaultAhsayInterval)
		}
		switch t.Mode {
		case "":
			t.Mode = ModeSets
		case ModeSets, ModeUsers:
		default:
			return fmt.Errorf("mode %q: want sets or users", t.Mode)
		}
		if t.Freshness.Warn == 0 && t.Freshness.Critical == 0 {
			t.Freshness.Warn, t.Freshness.Critical = Age(26*time.Hour), Age(72*time.Hour)
		}
	case TypeXClarity:
		if t.Interval == 0 {
			t.Interval = Age(DefaultXClarityInterval)
		}
		if t.Freshness.Warn == 0 && t.Freshness.Critical == 0 {
			t.Freshness.Warn, t.Freshness.Critical = Age(8*age.Day), Age(15*age.Day)
		}
	default:
		return fmt.Errorf("type %q: want ahsay or xclarity", t.Type)
	}
	if time.Duration(t.Interval) < time.Second {
		return errors.New("interval: at least 1s")
	}
	if t.Timeout == 0 || t.Timeout > t.Interval {
		t.Timeout = t.Interval
	}
	if t.KeepLastGood == 0 {
		t.KeepLastGood = 3 * t.Interval
	}
	return nil
}

// credentials reads the target's user and password from their sources.
func (t *Target) credentials() (user, password string, err error) {
	user = t.User
	if t.UserEnv != "" {
		if user = os.Getenv(t.UserEnv); user == "" {
			return "", "", fmt.Errorf("user_env %s is not set", t.UserEnv)
		}
	}
	password, err = secretFrom(t.PasswordEnv, t.PasswordFile)
	if err == nil && t.secrets != nil {
		t.secrets.add(password)
	}
	return user, password, err
}

// secretFrom reads a secret from an environment variable or a file's first
// line. The error names the source, never the value.
func secretFrom(env, file string) (string, error) {
	if env != "" {
		v := os.Getenv(env)
		if v == "" {
			return "", fmt.Errorf("password_env %s is not set", env)
		}
		return v, nil
	}
	f, err := os.Open(file)
	if err != nil {
		return "", fmt.Errorf("password_file: %w", err)
	}
	defer f.Close()
	line, _ := bufio.NewReader(f).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", fmt.Errorf("password_file %s: the first line is empty", file)
	}
	return line, nil
}
