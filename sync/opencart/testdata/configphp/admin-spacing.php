<?php
/* admin/config.php, edited by hand */
DEFINE ( "DB_HOSTNAME" , "db.internal" ) ;   # the database server
define(
	'DB_USERNAME',
	'admin' // old: 'root'
);
// define('DB_PASSWORD', 'commented out');
/* define('DB_DATABASE', 'not this one'); */
define('DB_PASSWORD', getenv('SHOP_DB_PASSWORD'));
define('DB_DATABASE', 'shop');
define('DB_PREFIX', '');
?>
<p>define('DB_DATABASE', 'html, not PHP');</p>
