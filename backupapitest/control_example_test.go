package backupapitest_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/backupapi/backupapi/backupapitest"
)

// A harness serves the control API beside a fake and injects a fault
// through it, as backupapi-fake's CONTROL_URL offers harnesses in other
// languages.
func ExampleControlHandler() {
	ahsay := backupapitest.NewAhsayServer()
	defer ahsay.Close()
	control := httptest.NewServer(backupapitest.ControlHandler(backupapitest.ControlConfig{Token: "t0ken", Ahsay: ahsay}))
	defer control.Close()

	req, _ := http.NewRequest(http.MethodPost, control.URL+"/_backupapi/faults", strings.NewReader(`{"op":"ListUsers","status":503,"times":2}`))
	req.Header.Set("Authorization", "Bearer t0ken")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Print(resp.StatusCode, " ", string(body))
	fmt.Println(ahsay.Faults()[0].Op, ahsay.Faults()[0].Fault.Times)
	// Output:
	// 200 {"faults":[{"server":"ahsay","op":"ListUsers","status":503,"times":2}]}
	// ListUsers 2
}
