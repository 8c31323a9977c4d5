module appservice.dev/testcontainers/root-port-80

go 1.21
