"""Workflow capability: BPMN processes on a Camunda 7-compatible engine, Python step workers, logs."""
