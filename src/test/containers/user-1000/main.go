// An image built with USER 1000 that writes its own directory (/data, owned by 1000 in the image),
// /tmp and HOME at start, then serves on PORT (8080 without it) what it wrote.
// "probe URL" (run with podman exec) GETs the URL and prints the body, as a client in the pod would.
package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
)

func main() {
	if len(os.Args) == 3 && os.Args[1] == "probe" {
		os.Exit(probe(os.Args[2]))
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	written := ""
	for _, dir := range []string{"/data", os.TempDir(), os.Getenv("HOME")} {
		file := filepath.Join(dir, "started")
		if err := os.WriteFile(file, []byte("ok"), 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "cannot write", file+":", err)
			os.Exit(2)
		}
		written += " " + file
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "user-1000 uid=%d gid=%d wrote%s site=%s\n", os.Getuid(), os.Getgid(), written, os.Getenv("WEBSITE_SITE_NAME"))
	})
	fmt.Printf("listening on :%s as uid %d\n", port, os.Getuid())
	if err := http.ListenAndServe(":"+port, nil); err != nil {
		fmt.Fprintln(os.Stderr, "cannot listen on :"+port+":", err)
		os.Exit(1)
	}
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
