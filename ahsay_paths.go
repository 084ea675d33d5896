package backupapi

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// versionedEndpoint is an AhsayCBS endpoint with a v2 path, the server
// version that added it, and the deprecated v1 name.
type versionedEndpoint struct {
	v1Name       string
	major, minor int    // the first version with the v2 path
	v1Path       string // when the v1 path is not /obs/api/json/<v1Name>.do
}

// versionedEndpoints dates each v2 path as the reference does.
var versionedEndpoints = map[string]versionedEndpoint{
	"AddUser":    {"AddUser", 9, 5, ""},
	"UpdateUser": {"UpdateUserProfile", 9, 5, ""},
	"ListUsers":  {"ListUsers", 9, 7, ""},
	"GetUser":    {"GetUser", 9, 7, ""},
	// Monitoring and the server.
	"GetBackupSet":     {"GetBackupSet", 9, 7, ""},
	"ListPolicyGroups": {"ListPolicyGroups", 9, 7, ""},
	"GetLicense":       {"GetLicense", 9, 1, "/cbs/api/json/GetLicense.do"},
}

// versionedNames lists the endpoints WithAhsayV1 accepts, sorted.
func versionedNames() []string {
	names := make([]string, 0, len(versionedEndpoints))
	for n := range versionedEndpoints {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// ahsayPaths holds the v1 and v2 paths of the versioned endpoints, built
// once rather than on every call.
var ahsayPaths = func() map[string][2]string {
	m := map[string][2]string{}
	for name, ep := range versionedEndpoints {
		v1 := ep.v1Path
		if v1 == "" {
			v1 = "/obs/api/json/" + ep.v1Name + ".do"
		}
		m[name] = [2]string{v1, "/obs/api/json/2/" + name + ".do"}
	}
	return m
}()

// path returns the path of a versioned endpoint: v2 unless the client was
// told (WithAhsayV1, WithAhsayVersion) that the server lacks it.
func (c *AhsayClient) path(name string) string {
	if c.v1[name] {
		return ahsayPaths[name][0]
	}
	return ahsayPaths[name][1]
}

// ahsay404Hint explains a bare 404 from a v2 path: the server may predate it.
func ahsay404Hint(path string) string {
	for name, p := range ahsayPaths {
		if p[1] == path {
			ep := versionedEndpoints[name]
			return fmt.Sprintf(" (AhsayCBS before %d.%d has no v2 %s: use WithAhsayV1(%q) or WithAhsayVersion)", ep.major, ep.minor, name, name)
		}
	}
	return ""
}

// parseVersion reads "9.5", "9.7.0.0" or "v10.1" as major and minor.
func parseVersion(v string) (major, minor int, err error) {
	parts := strings.Split(strings.TrimPrefix(strings.TrimSpace(v), "v"), ".")
	major, err = strconv.Atoi(parts[0])
	if err != nil || major < 0 {
		return 0, 0, fmt.Errorf("version %q: want major.minor, e.g. \"9.5\"", v)
	}
	if len(parts) > 1 {
		if minor, err = strconv.Atoi(parts[1]); err != nil || minor < 0 {
			return 0, 0, fmt.Errorf("version %q: want major.minor, e.g. \"9.5\"", v)
		}
	}
	return major, minor, nil
}

// v1ForVersion returns the endpoints whose v2 path the given server
// version lacks.
func v1ForVersion(major, minor int) []string {
	var out []string
	for _, name := range versionedNames() {
		ep := versionedEndpoints[name]
		if major < ep.major || (major == ep.major && minor < ep.minor) {
			out = append(out, name)
		}
	}
	return out
}
