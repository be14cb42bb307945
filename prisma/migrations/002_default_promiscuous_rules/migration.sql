-- Interfaces that are promiscuous by design (container and bridge plumbing) raise no alert.
-- Analysts can delete or add rules; these are only the defaults.
INSERT INTO "PromiscuousRule" ("pattern", "note") VALUES
  ('veth*', 'container veth pairs'),
  ('docker*', 'Docker bridge'),
  ('br-*', 'Docker user-defined bridges'),
  ('virbr*', 'libvirt bridges'),
  ('cni*', 'Kubernetes CNI bridges'),
  ('flannel*', 'flannel overlay')
ON CONFLICT ("pattern") DO NOTHING;
