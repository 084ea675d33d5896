package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/backupapi/backupapi"
)

// cancelJobs cancels XClarity jobs that exist. The appliance answers a
// cancel with an empty 200 whether or not the jobs exist, so the jobs are
// looked up first: when one is missing nothing is cancelled, and the error
// matches backupapi.ErrNotFound (exit 3), as "jobs get" of it does.
func cancelJobs(ctx context.Context, c *backupapi.XClarityClient, ids []string) error {
	jobs, err := c.GetJobs(ctx, ids...)
	if err != nil {
		return err
	}
	found := make(map[string]bool, len(jobs))
	for _, j := range jobs {
		found[j.JobUID] = true
	}
	var missing []string
	for _, id := range ids {
		if !found[id] {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("xclarity CancelJobs: no job %s on the appliance, so nothing was cancelled: %w",
			strings.Join(missing, ", "), backupapi.ErrNotFound)
	}
	return c.CancelJobs(ctx, ids...)
}
