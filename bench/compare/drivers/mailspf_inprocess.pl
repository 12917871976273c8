#!/usr/bin/perl
# Mail::SPF (Debian libmail-spf-perl) in-process: one Mail::SPF::Server, and for each workload line a
# Mail::SPF::Request (scope mfrom) processed one at a time, timed, once per pass (--passes, default
# cold,warm) in one process. Mail::SPF keeps no DNS cache between requests, so a later pass gains only from
# the resolver's cache; it asks the system resolver (Net::DNS, /etc/resolv.conf: unbound inside the
# benchmark namespace).
# Writes the same result and answers files as the Python drivers (see benchlib.py).
#   mailspf_inprocess.pl --workload FILE [--lines N] --result FILE [--answers FILE] [--passes NAME,...]
use strict;
use warnings;
use Getopt::Long;
use JSON::PP;
use POSIX qw(ceil);
use Time::HiRes qw(time);
use Mail::SPF;

my ($workload, $lines, $result_path, $answers_path, $pass_names) = (undef, 0, undef, undef, 'cold,warm');
GetOptions('workload=s' => \$workload, 'lines=i' => \$lines, 'result=s' => \$result_path, 'answers=s' => \$answers_path,
           'passes=s' => \$pass_names)
    and defined $workload and defined $result_path
    or die "usage: $0 --workload FILE [--lines N] --result FILE [--answers FILE] [--passes NAME,...]\n";
my @pass_names = grep { length } split(/,/, $pass_names);
@pass_names or die "--passes: no pass names\n";

my $json = JSON::PP->new->canonical;
open(my $in, '<:encoding(UTF-8)', $workload) or die "$workload: $!\n";
my @rows;
while (my $text = <$in>) {
    next unless $text =~ /\S/;
    push @rows, $json->decode($text);
    last if $lines > 0 && @rows >= $lines;
}
close($in);

# The resolver's query counter (run.sh's script printing unbound's total.num.queries).
sub dns_queries {
    my $command = $ENV{VOUCH_COMPARE_QUERIES} or return undef;
    my $out = `$command`;
    return $? == 0 ? $out + 0 : undef;
}

sub percentile_ms {
    my ($sorted, $fraction) = @_;
    return undef unless @$sorted;
    my $rank = ceil($fraction * @$sorted);
    $rank = 1 if $rank < 1;
    return sprintf('%.3f', $sorted->[$rank - 1] * 1000) + 0;
}

my $server = Mail::SPF::Server->new();
my (%passes, @answers);
for my $name (@pass_names) {
    my @latencies;
    my $queries_before = dns_queries();
    my $pass_started = time();
    for my $row (@rows) {
        my $started = time();
        # RFC 7208 §2.4: a bounce's MAIL FROM identity is postmaster@HELO (Mail::SPF refuses an empty one).
        my $identity = length($row->{sender}) ? $row->{sender} : "postmaster\@$row->{helo}";
        my $code = eval {
            my $request = Mail::SPF::Request->new(
                scope => 'mfrom', identity => $identity, ip_address => $row->{ip}, helo_identity => $row->{helo});
            $server->process($request)->code;
        };
        # Request->new throws on input it cannot take (an invalid IP address or identity): record that.
        $code = 'exception' unless defined $code;
        push @latencies, time() - $started;
        push @answers, ['mailfrom', $code] if $name eq $pass_names[0];
    }
    my $seconds = time() - $pass_started;
    my $queries_after = dns_queries();
    my @sorted = sort { $a <=> $b } @latencies;
    $passes{$name} = {
        checks => scalar(@rows),
        seconds => sprintf('%.4f', $seconds) + 0,
        checks_per_s => sprintf('%.1f', @rows / $seconds) + 0,
        p50_ms => percentile_ms(\@sorted, 0.50),
        p99_ms => percentile_ms(\@sorted, 0.99),
        queries => (defined $queries_before && defined $queries_after) ? $queries_after - $queries_before : undef,
    };
}

my $peak;
if (open(my $status, '<', '/proc/self/status')) {
    while (<$status>) { $peak = $1 if /^VmHWM:\s+(\d+)/; }
    close($status);
}
open(my $out, '>', $result_path) or die "$result_path: $!\n";
print $out $json->encode({ lines => scalar(@rows), passes => \%passes, peak_rss_kib => $peak + 0,
    memory_of => 'the Perl process (interpreter + Mail::SPF + Net::DNS)' }), "\n";
close($out);
if (defined $answers_path) {
    open(my $answers, '>', $answers_path) or die "$answers_path: $!\n";
    for my $i (0 .. $#answers) {
        print $answers $json->encode({ i => $i, identity => $answers[$i][0], result => $answers[$i][1], raw => undef }), "\n";
    }
    close($answers);
}
