package backupapi

import (
	"errors"
	"net/url"
	"strings"
)

// URLs reach errors in three places: the base URL given to a constructor
// (parseBaseURL), the URL of a request that failed (net/http's *url.Error,
// which for a refused redirect quotes the Location header as sent), and a
// path that could not be parsed. Each goes through safeURL first (a base
// URL holding an '@' through safeTypedURL, since what is user info in typed
// text is ambiguous), so that no error or log shows a URL's user info or
// query.

// safeURL returns raw without user info, query or fragment, whether or not
// it parses: "https://admin:Tr0ub%dor@cbs/x?pw=1" reads
// "https://***@cbs/x". A URL without a scheme ("admin:pw@cbs") is cut
// the same way.
func safeURL(raw string) string {
	rest, scheme := raw, ""
	if i := strings.Index(raw, "//"); i >= 0 {
		scheme, rest = raw[:i+2], raw[i+2:]
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	authority := rest
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		authority = rest[:i]
	}
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		rest = "***" + rest[at:]
	}
	return scheme + rest
}

// hasUserInfo reports whether raw, a base URL as typed, may carry user
// info: any '@'. What is user info in such text is ambiguous: a password
// typed unescaped may hold '/', '?' or '#', and
// "https://admin:12/pa@cbs" parses as host "admin:12" with a path. A base
// URL of either product never holds an '@' otherwise.
func hasUserInfo(raw string) bool { return strings.Contains(raw, "@") }

// safeTypedURL is safeURL for a base URL as typed (see hasUserInfo):
// everything between the scheme and the last '@' is masked, and the query
// and fragment after it are cut.
func safeTypedURL(raw string) string {
	rest, scheme := raw, ""
	if i := strings.Index(raw, "//"); i >= 0 {
		scheme, rest = raw[:i+2], raw[i+2:]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = "***" + rest[at:]
	}
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	return scheme + rest
}

// safeURLError returns err with the URL of a *url.Error at its top passed
// through safeURL; any other error is returned as it is. The copy still
// matches what err matched (errors.Is, errors.As of its cause).
func safeURLError(err error) error {
	var ue *url.Error
	if !errors.As(err, &ue) || ue != err {
		return err
	}
	if safe := safeURL(ue.URL); safe != ue.URL {
		return &url.Error{Op: ue.Op, URL: safe, Err: ue.Err}
	}
	return err
}

// urlProblem is what is wrong with a URL that did not parse, without the
// URL: url.Parse's own error quotes it whole.
func urlProblem(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}
