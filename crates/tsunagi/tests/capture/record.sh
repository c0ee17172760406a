# Records router.linux: run by `../shared/tools/linux-oracle -C DIR record.sh` with this
# directory's router.sh and summarize.sh copied into DIR, on a machine with tshark. It runs the
# lab on the real kernel and prints tshark's summary of each file tcpdump wrote.
bash ./router.sh
for f in ns1-veth0.pcap ns2-veth0.pcap router-any.pcap; do
  echo "== $f"
  bash ./summarize.sh "$f"
done
