"""EchoHub: a platform for running Project ECHO telementoring programs."""
