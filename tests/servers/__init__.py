"""Start real SPARQL servers (Oxigraph, Virtuoso) on loopback for the interop tests."""
