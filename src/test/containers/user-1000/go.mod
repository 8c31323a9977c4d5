module appservice.dev/testcontainers/user-1000

go 1.21
