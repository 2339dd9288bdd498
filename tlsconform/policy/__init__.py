"""Deployment policy: a profile states what a deployment allows (versions, suites, groups,
key sizes, certificate lifetime, extensions), and policy rows probe the target for each
candidate and fail on what the profile forbids."""
