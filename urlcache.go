package backupapi

import (
	"net/url"
	"sync"
)

// urlCache keeps the parsed URLs of the paths a client calls, so that a
// call copies a URL instead of parsing one. It stops growing at
// maxCachedURLs: paths that hold IDs or queries are unbounded, and past the
// limit they are parsed as before.
type urlCache struct {
	mu sync.RWMutex
	m  map[string]*url.URL
}

const maxCachedURLs = 256

// resolve returns a fresh *url.URL for base+path, which the caller may
// modify.
func (c *urlCache) resolve(base, path string) (*url.URL, error) {
	c.mu.RLock()
	cached, ok := c.m[path]
	c.mu.RUnlock()
	if !ok {
		u, err := url.Parse(base + path)
		if err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.m == nil {
			c.m = make(map[string]*url.URL)
		}
		if len(c.m) < maxCachedURLs {
			c.m[path] = u
		}
		c.mu.Unlock()
		cached = u
	}
	u := *cached // base URLs hold no user info (parseBaseURL refuses it): a shallow copy shares nothing mutable
	return &u, nil
}
