// An app that fails at start, as one missing its configuration does: a few lines on stdout and
// stderr, then exit code 3.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println("starting shop on port", os.Getenv("PORT"))
	fmt.Println("reading configuration from the environment")
	fmt.Fprintln(os.Stderr, "fatal: DATABASE_URL is not set")
	os.Exit(3)
}
