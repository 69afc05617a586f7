"""Action handlers, registered with the workflow table by importing."""
