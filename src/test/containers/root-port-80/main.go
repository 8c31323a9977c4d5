// An image like nginx's: it runs as root (no USER) and listens on port 80 whatever PORT says.
// "probe URL" (run with podman exec) GETs the URL and prints the body, as a client in the pod would.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "probe" {
		os.Exit(probe(os.Args[2]))
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "root-port-80 uid=%d gid=%d site=%s %s\n", os.Getuid(), os.Getgid(), os.Getenv("WEBSITE_SITE_NAME"), privileges())
	})
	fmt.Printf("listening on :80 as uid %d\n", os.Getuid())
	if err := http.ListenAndServe(":80", nil); err != nil {
		fmt.Fprintln(os.Stderr, "cannot listen on :80:", err)
		os.Exit(1)
	}
}

// The process's effective capabilities and no-new-privileges flag, from /proc/self/status:
// "CapEff=<hex> NoNewPrivs=<0|1>".
func privileges() string {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "status unreadable: " + err.Error()
	}
	var fields []string
	for _, line := range strings.Split(string(status), "\n") {
		name, value, found := strings.Cut(line, ":")
		if found && (name == "CapEff" || name == "NoNewPrivs") {
			fields = append(fields, name+"="+strings.TrimSpace(value))
		}
	}
	return strings.Join(fields, " ")
}

func probe(url string) int {
	response, err := http.Get(url)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer response.Body.Close()
	body, _ := io.ReadAll(response.Body)
	fmt.Printf("%d %s", response.StatusCode, body)
	return 0
}
